/* The amplitude layer: numerical helicity amplitudes in the spirit of HELAS
 * (Murayama, Watanabe, Hagiwara 1992) and madgraph4gpu, so that a process is written as
 * its Feynman diagrams. Host and device (MUE_FN), plain C, double precision, no global
 * state. Conventions: docs/physics.md, section 11.
 *   complex.h   mue_cx and its operations
 *   helicity.h  external spinors u, v, ubar, vbar and polarisation vectors eps (helicity basis)
 *   vertices.h  the fermion-fermion-vector vertex with c_L, c_R, off-shell fermions and vectors
 *   vertices_vvv.h  the triple gauge vertex (W W gamma, W W Z), closed and off shell
 * A diagram is built from the outside in: external wave functions, then off-shell lines
 * (mue_amp_ffv_to_f, _to_fbar, _to_v), closed by mue_amp_ffv, which gives its contribution
 * to i M. Sum the diagrams, square, sum the helicities. Evaluate in the CM frame. */
#ifndef MUE_AMPLITUDES_H
#define MUE_AMPLITUDES_H

#include "mue/complex.h"
#include "mue/helicity.h"
#include "mue/vertices.h"
#include "mue/vertices_vvv.h"

#endif

#include "events/record.h"

#include "mue/phase_space.h"
#include "mue/rng.h"

void mue_record_decay_massless(mue_p4 P, double m, double u1, double u2, mue_p4 *a, mue_p4 *b)
{
    const double pabs = mue_p4_pabs(P), E = P.e, half = 0.5 * m, gam = E / m;
    /* 1 - beta = m^2 / (E (E + |P|)): no cancellation at any speed */
    const double omb = m * m / (E * (E + pabs));
    double cphi, sphi;
    mue_ps_azimuth_uniform(u2, &cphi, &sphi);
    const double w[2] = {u1, 1.0 - u1}; /* (1 + cos)/2 of each daughter about P */
    const double sgn[2] = {1.0, -1.0};
    mue_p4 *out[2] = {a, b};
    for (int k = 0; k < 2; k++) {
        const double c = 2.0 * w[k] - 1.0;
        /* E' = gamma E* (1 + beta cos) and p_L' = gamma E* (cos + beta), each written as
         * (1 + cos) less a (1 - beta) term; p_T' = E* sin */
        const double e = gam * half * (2.0 * w[k] - omb * c);
        const double pl = gam * half * (2.0 * w[k] - omb);
        const double pt = half * sqrt(4.0 * w[k] * (1.0 - w[k]));
        mue_p4 q = mue_p4_make(e, sgn[k] * pt * cphi, sgn[k] * pt * sphi, pl);
        *out[k] = pabs > 0.0 ? mue_p4_rotate_from_axis(q, P.x / pabs, P.y / pabs, P.z / pabs) : q;
    }
}

/* The Z' to nu_mu nubar_mu or nu_tau nubar_tau, equally likely (Eq. D.1): the invisible
 * channel, which is the signal; the file's cross section carries BR(invisible). u: the
 * point's stream from its first decay draw. */
static void decay_zprime(const double *u, int iz, mue_record *r)
{
    mue_p4 a, b;
    mue_record_decay_massless(r->q[iz].p, r->q[iz].m, u[0], u[1], &a, &b);
    const int nu = u[2] <= 0.5 ? 14 : 16;
    r->q[iz].status = MUE_REC_DECAYED;
    r->q[r->n++] = (mue_record_particle){nu, MUE_REC_FINAL, iz, a, 0.0};
    r->q[r->n++] = (mue_record_particle){-nu, MUE_REC_FINAL, iz, b, 0.0};
    r->ndecays++;
}

/* The event's own muon (beam.h, Eqs. B.1-B.3): its energy from the point's beam draws
 * (the one the weight was computed at), its direction and the vertex from the record's
 * draws ub; the final state, made about the muon's direction, turned onto it. */
static void place_in_beam(const mue_evfile_info *f, const double *u, const double *ub, mue_record *r)
{
    const mue_beam_model *b = &f->bm;
    const double e = mue_beam_energy(b, f->e_beam, u + f->beam_draw);
    double zx, zy, sx, sy;
    mue_det_normals(ub[0], ub[1], &zx, &zy);
    mue_det_normals(ub[2], ub[3], &sx, &sy);
    const double tx = tan(b->div_x * zx), ty = tan(b->div_y * zy);
    const double inv = 1.0 / sqrt(1.0 + tx * tx + ty * ty);
    const double nx = tx * inv, ny = ty * inv, nz = inv;
    const double pb = sqrt((e - f->m_mu) * (e + f->m_mu));
    r->q[0].p = mue_p4_make(e, pb * nx, pb * ny, pb * nz);
    for (int i = 2; i < r->n; i++)
        r->q[i].p = mue_p4_rotate_from_axis(r->q[i].p, nx, ny, nz);
    r->has_vertex = 1;
    r->vertex[0] = 1e3 * b->spot_x * sx;
    r->vertex[1] = 1e3 * b->spot_y * sy;
    r->vertex[2] = 1e3 * (b->target_z + b->target_len * (ub[4] - 0.5));
    r->vertex[3] = 0.0;
}

void mue_record_make(const mue_evfile_info *f, const mue_gen_event *e, mue_record *r)
{
    mue_p4 mu, el;
    mue_evfile_beams(f, &mu, &el);
    r->n = 0;
    r->ndecays = 0;
    r->has_vertex = 0;
    r->q[r->n++] = (mue_record_particle){f->beam_pid, MUE_REC_BEAM, -1, mu, f->m_mu};
    r->q[r->n++] = (mue_record_particle){11, MUE_REC_BEAM, -1, el, f->m_e};
    int iz = -1;
    for (int i = 0; i < e->ev.n; i++) {
        /* the beam's charge is the outgoing muon's */
        const int pid = e->ev.pid[i] == MUE_PID_MUON ? f->beam_pid : e->ev.pid[i];
        if (pid == MUE_PID_ZPRIME && f->zprime_decays)
            iz = r->n;
        r->q[r->n++] = (mue_record_particle){
            pid, MUE_REC_FINAL, -1, mue_collision_p4_to_lab(&f->col, e->ev.p[i], e->ev.mass[i]),
            e->ev.mass[i]};
    }
    if (iz < 0 && !f->bm.enabled)
        return;
    /* the point's stream up to the record's draws: the decays', then the beam's */
    double u[MUE_POINT_MAXU + 2 + MUE_RECORD_DECAY_DRAWS + MUE_RECORD_BEAM_DRAWS];
    const int d = f->decay_draw;
    mue_rng_uniforms(f->seed, e->iter, e->index, d + MUE_RECORD_DECAY_DRAWS + MUE_RECORD_BEAM_DRAWS, u);
    if (f->bm.enabled)
        place_in_beam(f, u, u + d + MUE_RECORD_DECAY_DRAWS, r);
    if (iz >= 0)
        decay_zprime(u + d, iz, r);
}

/* The selection as the detector sees an event (docs/physics.md, Detector): clusters in
 * the ECAL (an electron and a photon closer than the angular resolution merge into one
 * electron of the summed energy), cuts (i) and (ii) on measured quantities, and the
 * photon veto (iii) as a factor, the veto inefficiency, on events with a separate hard
 * photon in the ECAL. Used by mue_process_integrand when the run has a detector. */
#ifndef MUE_DETECTOR_SELECT_H
#define MUE_DETECTOR_SELECT_H

#include "mue/collision.h"
#include "mue/detector.h"
#include "mue/event.h"
#include "mue/params.h"

/* The width the ECAL window is widened by at true energy e: the wider Gaussian's when
 * there is one */
MUE_FN double mue_det_gen_width(const mue_detector *d, double e)
{
    double k = d->tail_frac > 0.0 && d->tail_scale > 1.0 ? d->tail_scale : 1.0;
    return d->gen_sigmas * k * mue_ecal_sigma(d, e);
}

/* Eq. (14.8): the window a process generates in when the selection sel is applied to
 * measured quantities: every cut edge moved out by gen_sigmas widths, so that what lies
 * outside could pass with a probability below Phi(-gen_sigmas) (1e-316 at the default
 * 38: nothing a double holds). Without cut (ii) the electron energy is free from 1 keV
 * of kinetic energy (as the signal's floor, Eq. 4.14) to the beam energy. */
MUE_FN mue_cuts mue_detector_generation_cuts(const mue_detector *d, const mue_cuts *sel,
                                             double e_beam, double me)
{
    mue_cuts g = *sel;
    g.enabled = 1;
    g.theta_mu_min = 0.0;
    if (d->cuts & MUE_DET_CUT_I) {
        double t = sel->theta_mu_min - d->gen_sigmas * d->theta_mu_res;
        g.theta_mu_min = t > 0.0 ? t : 0.0;
    }
    const double e_floor = me + 1e-6;
    g.ee_min = e_floor;
    g.ee_max = e_beam;
    if (!(d->cuts & MUE_DET_CUT_II))
        return g;
    /* ee_min - E - width(E) falls with E: its root below ee_min, by bisection */
    if (sel->ee_min - e_floor > mue_det_gen_width(d, e_floor)) {
        double lo = e_floor, hi = sel->ee_min;
        for (int k = 0; k < 200 && hi - lo > 1e-12 * hi; k++) {
            double m = 0.5 * (lo + hi);
            if (sel->ee_min - m > mue_det_gen_width(d, m))
                lo = m;
            else
                hi = m;
        }
        g.ee_min = lo;
    }
    /* E - ee_max - width(E): its first root above ee_max (none: the whole range) */
    if (e_beam - sel->ee_max > mue_det_gen_width(d, e_beam)) {
        double lo = sel->ee_max, hi = e_beam;
        for (int k = 0; k < 200 && hi - lo > 1e-12 * hi; k++) {
            double m = 0.5 * (lo + hi);
            if (m - sel->ee_max > mue_det_gen_width(d, m))
                hi = m;
            else
                lo = m;
        }
        g.ee_max = hi;
    }
    return g;
}

/* Lab energy and momentum components of a CM momentum of mass m (Eq. 1.6): the
 * transverse components are the CM ones */
MUE_FN void mue_det_lab(const mue_collision *c, mue_p4 p, double m, double *e, double *pz)
{
    double pp, pm;
    mue_p4_lightcone(p, m, &pp, &pm);
    pp *= c->exp_y;
    pm *= c->exp_my;
    *e = 0.5 * (pp + pm);
    *pz = 0.5 * (pp - pm);
}

/* Does a particle from the target, lab momentum (px, py, pz), hit the ECAL face (a
 * square of side ecal_size centred on the beam, ecal_dist downstream)? Eq. (14.5) */
MUE_FN int mue_det_in_ecal(const mue_detector *d, double px, double py, double pz)
{
    if (!(pz > 0.0))
        return 0;
    double h = 0.5 * d->ecal_size * pz / d->ecal_dist;
    return fabs(px) < h && fabs(py) < h;
}

/* Lab opening angle of two momenta: atan2 of |a x b| and a.b keeps every digit at
 * the mrad angles of the clusters (an acos would not) */
MUE_FN double mue_det_opening(double ax, double ay, double az, double bx, double by, double bz)
{
    double cx = ay * bz - az * by, cy = az * bx - ax * bz, cz = ax * by - ay * bx;
    return atan2(sqrt(cx * cx + cy * cy + cz * cz), ax * bx + ay * by + az * bz);
}

/* What the ECAL records of an event: the electron cluster's true energy (its photon
 * added when merged), whether the electron hits the ECAL, and whether a separate photon
 * above the veto threshold does. Photons are the slots after the muon and the electron
 * with pid MUE_PID_PHOTON; any other particle (a Z') is invisible. */
typedef struct {
    double e_cluster;
    int electron_in, veto;
} mue_det_clusters;

MUE_FN mue_det_clusters mue_det_make_clusters(const mue_detector *d, const mue_collision *c,
                                              const mue_event *ev)
{
    const int ie = MUE_EV_ELECTRON;
    mue_det_clusters k;
    double pz_e, e_lab;
    mue_det_lab(c, ev->p[ie], ev->mass[ie], &e_lab, &pz_e);
    /* the energy cut (ii) tests without a detector, Eq. (2.5), exact for a target at rest */
    k.e_cluster = ev->mass[ie] + ev->tau / (2.0 * ev->mass[ie]);
    k.electron_in = mue_det_in_ecal(d, ev->p[ie].x, ev->p[ie].y, pz_e);
    k.veto = 0;
    /* fixed bounds and a test inside: constant indices keep a GPU event in registers */
    for (int s = MUE_EV_ELECTRON + 1; s < MUE_MAX_FINAL; s++) {
        if (s >= ev->n || ev->pid[s] != MUE_PID_PHOTON)
            continue;
        double eg, pzg;
        mue_det_lab(c, ev->p[s], ev->mass[s], &eg, &pzg);
        if (!mue_det_in_ecal(d, ev->p[s].x, ev->p[s].y, pzg))
            continue;
        double open = mue_det_opening(ev->p[ie].x, ev->p[ie].y, pz_e, ev->p[s].x, ev->p[s].y, pzg);
        if (k.electron_in && open < d->cluster_dtheta)
            k.e_cluster += eg;
        else if (eg > d->veto_emin)
            k.veto = 1;
    }
    return k;
}

/* The share of the event's weight the detector keeps, in [0, 1], Eqs. (14.6)-(14.7).
 * u: the MUE_DET_NU detector uniforms of the point (read in sample mode only). */
MUE_FN double mue_detector_keep(const mue_detector *d, const mue_collision *c, const mue_event *ev,
                                const double *u)
{
    const int sample = d->mode == MUE_DET_SAMPLE;
    double z_e = 0.0, z_th = 0.0;
    if (sample)
        mue_det_normals(u[0], u[1], &z_e, &z_th);
    double keep = 1.0;
    if (d->cuts & MUE_DET_CUT_I) {
        double emu, th;
        mue_collision_to_lab(c, ev->p[MUE_EV_MUON], ev->mass[MUE_EV_MUON], &emu, &th);
        if (sample)
            keep = th + d->theta_mu_res * z_th > d->theta_mu_min ? 1.0 : 0.0;
        else
            keep = mue_det_p_above(th, d->theta_mu_min, d->theta_mu_res);
        if (keep == 0.0)
            return 0.0;
    }
    if (!(d->cuts & (MUE_DET_CUT_II | MUE_DET_CUT_III)))
        return keep;
    mue_det_clusters k = mue_det_make_clusters(d, c, ev);
    if (d->cuts & MUE_DET_CUT_II) {
        if (!k.electron_in) /* no energy measured: (ii) cannot pass */
            return 0.0;
        if (sample) {
            double em = mue_ecal_smear(d, k.e_cluster, z_e, u[2]);
            if (!(em > d->ee_min && em < d->ee_max))
                return 0.0;
        } else
            keep *= mue_ecal_p_window(d, k.e_cluster, d->ee_min, d->ee_max);
    }
    if ((d->cuts & MUE_DET_CUT_III) && k.veto)
        keep *= d->veto_ineff;
    return keep;
}

#endif

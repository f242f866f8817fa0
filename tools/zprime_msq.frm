* Spin-summed |M|^2 of mu(p1) e(p2) -> mu(p3) e(p4) Z'(k), physics.md "Signal".
* Regenerates include/mue/zprime_msq_gen.h:  form -q zprime_msq.frm
*
* Result T such that  <|M|^2> = e^4 g^2 / t^2 * T  (1/4 spin average included).
* The electron tensor is used in its gauge-reduced form 4[2 p2^a p2^b + (t/2) g^ab]
* (terms with q = p2 - p4 drop against the conserved muon current), and the Z'
* polarisation sum is -g_{nu rho}; the test suite checks both reductions against an
* explicit Dirac-matrix evaluation with the full tensor and the k k/m^2 term.
* Everything is then written in the five invariants the phase-space map samples:
*   t = (p2-p4)^2, D1 = (p3+k)^2 - mm^2, D2 = (p1-k)^2 - mm^2, P12 = p1.p2, P2K = p2.k
#-
Off Statistics;
Vectors p1,p2,p3,k;
Indices al,be,nu;
Symbols mm,me,mz,t,D1,D2,iD1,iD2,P12,P2K;

Local T = (1/4) * (-1) *
   (g_(1,p3) + mm) *
   ( g_(1,nu)*(g_(1,p3)+g_(1,k)+mm)*g_(1,al)*iD1 + g_(1,al)*(g_(1,p1)-g_(1,k)+mm)*g_(1,nu)*iD2 ) *
   (g_(1,p1) + mm) *
   ( g_(1,be)*(g_(1,p3)+g_(1,k)+mm)*g_(1,nu)*iD1 + g_(1,nu)*(g_(1,p1)-g_(1,k)+mm)*g_(1,be)*iD2 ) *
   4 * ( 2*p2(al)*p2(be) + t/2*d_(al,be) );
trace4,1;
.sort
* on-shell and momentum conservation: q = p2 - p4 = p3 + k - p1
id p1.p1 = mm^2;
id p3.p3 = mm^2;
id k.k = mz^2;
id p2.p2 = me^2;
id p3.k = (D1 - mz^2)/2;
id p1.k = (mz^2 - D2)/2;
id p1.p3 = (2*mm^2 + D1 + D2 - mz^2 - t)/2;
id p1.p2 = P12;
id p2.k = P2K;
id p2.p3 = P12 + t/2 - P2K;
.sort
Bracket iD1,iD2;
Format C;
Format O3,stats=off;
#optimize T
#write <> "/* temporaries: `optimmaxvar_' */"
#write <> "%O"
#write <> "  return %e", T
.end

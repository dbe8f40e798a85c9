package fr.cpam.analytics.support;

import java.time.LocalDate;

/**
 * A claims input line for hand-made fixtures, in the contract's column order
 * ({@link Fixtures#CLAIMS_HEADER}); setters return this, unset fields stay empty.
 * Payment date: five days after the care date unless set.
 */
public final class ClaimLine {
    private final String[] f = new String[29];

    public ClaimLine(String org, String ben, String executant, String careDate, int nature) {
        java.util.Arrays.fill(f, "");
        f[0] = ben;
        f[1] = "1";
        f[2] = "1980";
        f[5] = org;
        f[6] = executant;
        f[12] = careDate;
        f[14] = LocalDate.parse(careDate).plusDays(5).toString();
        f[15] = String.valueOf(nature);
        f[18] = "1";
        f[21] = "10.00";
        f[22] = "0";
    }

    public ClaimLine born(int year) {
        f[2] = String.valueOf(year);
        return this;
    }

    /** Executant specialty (PSE_SPE_COD) and activity (PSE_ACT_NAT). */
    public ClaimLine executant(Integer specialty, int activity) {
        f[7] = specialty == null ? "" : String.valueOf(specialty);
        f[8] = String.valueOf(activity);
        return this;
    }

    public ClaimLine prescribedBy(String prescriber, int specialty, String prescriptionDate) {
        f[9] = prescriber;
        f[10] = String.valueOf(specialty);
        f[11] = prescriptionDate == null ? "" : prescriptionDate;
        return this;
    }

    public ClaimLine until(String lastDay) {
        f[13] = lastDay;
        return this;
    }

    public ClaimLine paid(String paymentDate) {
        f[14] = paymentDate;
        return this;
    }

    public ClaimLine qty(String quantity) {
        f[18] = quantity;
        return this;
    }

    public ClaimLine coef(String coefficient) {
        f[19] = coefficient;
        return this;
    }

    /** The reimbursed amount (BSE_REM_MNT; the complement stays 0). */
    public ClaimLine amount(String amount) {
        f[21] = amount;
        return this;
    }

    public ClaimLine drug(String cip13, String atc) {
        f[24] = cip13;
        f[25] = atc;
        return this;
    }

    /** The +/- twin of a line: negative quantity and amount (a regularisation). */
    public ClaimLine negated() {
        ClaimLine n = new ClaimLine(f[5], f[0], f[6], f[12], Integer.parseInt(f[15]));
        System.arraycopy(f, 0, n.f, 0, f.length);
        n.f[18] = "-" + f[18];
        n.f[21] = "-" + f[21];
        return n;
    }

    @Override
    public String toString() {
        return String.join(";", f);
    }
}

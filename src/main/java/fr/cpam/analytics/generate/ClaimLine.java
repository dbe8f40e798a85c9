package fr.cpam.analytics.generate;

import java.math.BigDecimal;
import java.time.LocalDate;

/** One generated prestation line, in the contract's claims columns. */
final class ClaimLine {
    static final String HEADER = "BEN_NIR_PSA;BEN_RNG_GEM;BEN_NAI_ANN;BEN_SEX_COD;BEN_RES_DPT;ORG_AFF_BEN;PFS_EXE_NUM;"
            + "PSE_SPE_COD;PSE_ACT_NAT;PFS_PRE_NUM;PSP_SPE_COD;PRE_PRE_DTD;EXE_SOI_DTD;EXE_SOI_DTF;FLX_DIS_DTD;"
            + "PRS_NAT_REF;RGO_ASU_NAT;DPN_QLF;PRS_ACT_QTE;PRS_ACT_CFT;PRS_PAI_MNT;BSE_REM_MNT;CPL_REM_MNT;"
            + "BIO_PRS_IDE;PHA_PRS_C13;PHA_ATC_CLA;PHA_ACT_QSN;CAM_PRS_IDE;ETB_EXE_FIN";

    Population.Beneficiary ben;
    String executant;
    int exeSpecialty;
    int exeActivity;
    String prescriber;
    int preSpecialty;
    LocalDate prescriptionDate;
    LocalDate careStart;
    LocalDate careEnd;
    LocalDate paid;
    int nature;
    int insurance = 10;
    Integer dpnQlf;
    BigDecimal quantity = BigDecimal.ONE;
    BigDecimal coefficient = BigDecimal.ONE;
    BigDecimal expense;
    BigDecimal base;
    BigDecimal complement = BigDecimal.ZERO;
    Integer nabm;
    String cip13;
    String atc;
    BigDecimal boxes;
    String ccam;
    String finess;

    ClaimLine copy() {
        ClaimLine c = new ClaimLine();
        c.ben = ben;
        c.executant = executant;
        c.exeSpecialty = exeSpecialty;
        c.exeActivity = exeActivity;
        c.prescriber = prescriber;
        c.preSpecialty = preSpecialty;
        c.prescriptionDate = prescriptionDate;
        c.careStart = careStart;
        c.careEnd = careEnd;
        c.paid = paid;
        c.nature = nature;
        c.insurance = insurance;
        c.dpnQlf = dpnQlf;
        c.quantity = quantity;
        c.coefficient = coefficient;
        c.expense = expense;
        c.base = base;
        c.complement = complement;
        c.nabm = nabm;
        c.cip13 = cip13;
        c.atc = atc;
        c.boxes = boxes;
        c.ccam = ccam;
        c.finess = finess;
        return c;
    }

    /** The regularisation of this line: same line, quantity and amounts negated. */
    ClaimLine negated() {
        ClaimLine c = copy();
        c.quantity = quantity.negate();
        c.expense = expense == null ? null : expense.negate();
        c.base = base.negate();
        c.complement = complement.negate();
        c.boxes = boxes == null ? null : boxes.negate();
        return c;
    }

    BigDecimal reimbursed() {
        return base.add(complement);
    }

    /** The CSV line; {@code sasStyle} writes SAS dates and decimal commas (another extract's habits). */
    String toCsv(String org, boolean sasStyle) {
        StringBuilder sb = new StringBuilder(220);
        sb.append(ben.id).append(";1;").append(ben.birthYear).append(';').append(ben.sex).append(';')
                .append(org).append(';').append(org).append(';').append(executant).append(';');
        if (exeSpecialty > 0) {
            sb.append(exeSpecialty);
        }
        sb.append(';').append(exeActivity).append(';');
        if (prescriber != null) {
            sb.append(prescriber);
        }
        sb.append(';');
        if (prescriber != null && preSpecialty > 0) {
            sb.append(preSpecialty);
        }
        sb.append(';');
        date(sb, prescriptionDate, sasStyle).append(';');
        date(sb, careStart, sasStyle).append(';');
        date(sb, careEnd, sasStyle).append(';');
        date(sb, paid, sasStyle).append(';');
        sb.append(nature).append(';').append(insurance).append(';');
        if (dpnQlf != null) {
            sb.append(dpnQlf);
        }
        sb.append(';');
        num(sb, quantity, sasStyle).append(';');
        num(sb, coefficient, sasStyle).append(';');
        num(sb, expense, sasStyle).append(';');
        num(sb, base, sasStyle).append(';');
        num(sb, complement, sasStyle).append(';');
        if (nabm != null) {
            sb.append(nabm);
        }
        sb.append(';');
        if (cip13 != null) {
            sb.append(cip13);
        }
        sb.append(';');
        if (atc != null) {
            sb.append(atc);
        }
        sb.append(';');
        num(sb, boxes, sasStyle).append(';');
        if (ccam != null) {
            sb.append(ccam);
        }
        sb.append(';');
        if (finess != null) {
            sb.append(finess);
        }
        return sb.toString();
    }

    private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

    static StringBuilder date(StringBuilder sb, LocalDate d, boolean sas) {
        if (d == null) {
            return sb;
        }
        if (sas) {
            int day = d.getDayOfMonth();
            return sb.append(day < 10 ? "0" : "").append(day).append(MONTHS[d.getMonthValue() - 1]).append(d.getYear())
                    .append(":00:00:00");
        }
        return sb.append(d);
    }

    static StringBuilder num(StringBuilder sb, BigDecimal v, boolean comma) {
        if (v == null) {
            return sb;
        }
        String s = v.stripTrailingZeros().toPlainString();
        return sb.append(comma ? s.replace('.', ',') : s);
    }
}

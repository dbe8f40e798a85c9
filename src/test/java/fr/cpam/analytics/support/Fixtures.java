package fr.cpam.analytics.support;

/** Shared fixture constants. */
public final class Fixtures {
    /** The claims header of INPUTS.md, in the contract's column order. */
    public static final String CLAIMS_HEADER = "BEN_NIR_PSA;BEN_RNG_GEM;BEN_NAI_ANN;BEN_SEX_COD;BEN_RES_DPT;ORG_AFF_BEN;PFS_EXE_NUM;"
            + "PSE_SPE_COD;PSE_ACT_NAT;PFS_PRE_NUM;PSP_SPE_COD;PRE_PRE_DTD;EXE_SOI_DTD;EXE_SOI_DTF;FLX_DIS_DTD;PRS_NAT_REF;"
            + "RGO_ASU_NAT;DPN_QLF;PRS_ACT_QTE;PRS_ACT_CFT;PRS_PAI_MNT;BSE_REM_MNT;CPL_REM_MNT;BIO_PRS_IDE;PHA_PRS_C13;"
            + "PHA_ATC_CLA;PHA_ACT_QSN;CAM_PRS_IDE;ETB_EXE_FIN";

    private Fixtures() {
    }
}

package fr.cpam.analytics.sources;

import org.apache.spark.sql.types.Decimal;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class LineTyperTest {

    private final LineTyper claims = new LineTyper(SourceDataset.CLAIMS, LocalDate.of(2000, 1, 1), LocalDate.of(2027, 6, 30));

    private static final String[] HEADER = ("BEN_NIR_PSA;ORG_AFF_BEN;PFS_EXE_NUM;EXE_SOI_DTD;EXE_SOI_DTF;FLX_DIS_DTD;"
            + "PRS_NAT_REF;PRS_ACT_QTE;BSE_REM_MNT;CPL_REM_MNT;EXTRA").split(";");

    private Object value(LineTyper.Typed t, String column) {
        List<ColumnSpec> cols = SourceDataset.CLAIMS.columns();
        for (int i = 0; i < cols.size(); i++) {
            if (cols.get(i).name().equals(column)) {
                return t.values()[i];
            }
        }
        throw new AssertionError(column);
    }

    private LineTyper.Typed type(String line) throws Exception {
        return claims.type(claims.bind(HEADER), FileParser.fastSplit(line));
    }

    @Test
    void headerMatchesByNameInAnyOrderAndCase() throws Exception {
        String[] shuffled = {"bse_rem_mnt", "Prs_Act_Qte", "PRS_NAT_REF", "FLX_DIS_DTD", "EXE_SOI_DTD", "PFS_EXE_NUM",
                "ORG_AFF_BEN", "ben_nir_psa"};
        LineTyper.Binding b = claims.bind(shuffled);
        LineTyper.Typed t = claims.type(b, "17.50;1;1110;2022-03-09;2022-03-02;921000011;092;P01".split(";"));
        assertTrue(t.valid(), t.reasons().toString());
        assertEquals("P01", value(t, "BEN_NIR_PSA"));
        assertEquals(1110, value(t, "PRS_NAT_REF"));
    }

    @Test
    void missingRequiredColumnRejectsTheHeader() {
        String[] noAmount = {"BEN_NIR_PSA", "ORG_AFF_BEN", "PFS_EXE_NUM", "EXE_SOI_DTD", "FLX_DIS_DTD", "PRS_NAT_REF", "PRS_ACT_QTE"};
        LineTyper.HeaderException e = assertThrows(LineTyper.HeaderException.class, () -> claims.bind(noAmount));
        assertTrue(e.getMessage().contains("BSE_REM_MNT"));
    }

    @Test
    void defaultsApplyWhenEmptyOrAbsent() throws Exception {
        LineTyper.Typed t = type("P01;092;921000011;02MAR2022;;09/03/2022;1110;1;17,50;;x");
        assertTrue(t.valid(), t.reasons().toString());
        assertEquals(1, value(t, "BEN_RNG_GEM"));
        assertEquals(10, value(t, "RGO_ASU_NAT"));
        assertEquals(LocalDate.of(2022, 3, 2), value(t, "EXE_SOI_DTF"));
        assertEquals(new BigDecimal("0.00"), ((Decimal) value(t, "CPL_REM_MNT")).toJavaBigDecimal());
        assertEquals(new BigDecimal("17.50"), ((Decimal) value(t, "BSE_REM_MNT")).toJavaBigDecimal());
        assertEquals(new BigDecimal("17.50"), claims.amountOf(t.values()));
    }

    @Test
    void everyRejectionReason() throws Exception {
        assertEquals(List.of("BAD_NUMBER:BSE_REM_MNT"), type("P01;092;921000011;2022-03-02;;2022-03-09;1110;1;12.3.4;;").reasons());
        assertEquals(List.of("BAD_DATE:EXE_SOI_DTD"), type("P01;092;921000011;2022-02-30;2022-03-02;2022-03-09;1110;1;1;;").reasons());
        assertEquals(List.of("MISSING_REQUIRED:PRS_NAT_REF"), type("P01;092;921000011;2022-03-02;;2022-03-09;;1;1;;").reasons());
        assertEquals(List.of("END_BEFORE_START:EXE_SOI_DTF"), type("P01;092;921000011;2022-03-02;2022-03-01;2022-03-09;1110;1;1;;").reasons());
        assertEquals(List.of("DATE_OUT_OF_RANGE:FLX_DIS_DTD"), type("P01;092;921000011;2022-03-02;;1999-12-31;1110;1;1;;").reasons());
        assertEquals(List.of("DATE_OUT_OF_RANGE:FLX_DIS_DTD"), type("P01;092;921000011;2022-03-02;;2027-07-01;1110;1;1;;").reasons());
        assertEquals(List.of("TOO_LONG:ORG_AFF_BEN"), type("P01;0920;921000011;2022-03-02;;2022-03-09;1110;1;1;;").reasons());
        assertEquals(List.of("WRONG_FIELD_COUNT:10/11"), type("P01;092;921000011;2022-03-02;;2022-03-09;1110;1;1;").reasons());
        LineTyper.Typed nir = type("180057512345627;092;921000011;2022-03-02;;2022-03-09;1110;1;1;;");
        assertEquals(List.of("RAW_NIR:BEN_NIR_PSA"), nir.reasons());
        assertEquals("180057512345627", nir.nirValue());
        assertNull(value(nir, "BEN_NIR_PSA"), "the raw NIR is not kept even in the typed values");
    }

    @Test
    void severalReasonsAreAllReported() throws Exception {
        assertEquals(List.of("BAD_NUMBER:PRS_ACT_QTE", "BAD_NUMBER:BSE_REM_MNT", "MISSING_REQUIRED:PFS_EXE_NUM"),
                type("P01;092;;2022-03-02;;2022-03-09;1110;x;y;;").reasons());
    }

    @Test
    void openDamirTrailingSeparatorIsOptional() throws Exception {
        LineTyper od = new LineTyper(SourceDataset.OPENDAMIR, LocalDate.of(2000, 1, 1), LocalDate.of(2027, 1, 1));
        String[] header = "FLX_ANN_MOI;ORG_CLE_REG;PRS_NAT;ASU_NAT;PRS_REM_MNT;PRS_ACT_QTE;PRS_REM_TYP;SOI_ANN;SOI_MOI;".split(";", -1);
        LineTyper.Binding b = od.bind(header);
        assertTrue(od.type(b, "202201;84;3211;10;.61;1;0;0000;00;".split(";", -1)).valid());
        assertTrue(od.type(b, "202201;84;3211;10;.61;1;0;0000;00".split(";", -1)).valid());
        assertFalse(od.type(b, "202201;84;3211;10;.61;1;0;0000".split(";", -1)).valid());
        assertEquals(List.of("BAD_DATE:FLX_ANN_MOI"), od.type(b, "202213;84;3211;10;.61;1;0;0000;00;".split(";", -1)).reasons());
    }
}

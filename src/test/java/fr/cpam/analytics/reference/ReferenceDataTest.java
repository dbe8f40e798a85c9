package fr.cpam.analytics.reference;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ReferenceDataTest {

    private static final List<ReferenceData.NatureMapping> MAPPINGS = ReferenceData.natureMappings();

    private static String map(int code, LocalDate on) {
        for (ReferenceData.NatureMapping m : MAPPINGS) {
            if (m.code() == code && !on.isBefore(m.validFrom()) && !on.isAfter(m.validTo())) {
                return m.poste() + "/" + m.sousPoste();
            }
        }
        return null;
    }

    private static String map(int code) {
        return map(code, LocalDate.of(2022, 6, 1));
    }

    @Test
    void postesOfTheContract() {
        assertEquals("MEDICAMENTS/PHARMACIE", map(3313));
        assertEquals("MEDICAMENTS/PHARMACIE", map(3311));
        assertEquals("MEDICAMENTS/PHARMACIE", map(3341));
        assertEquals("MEDICAMENTS/HONORAIRES_DISPENSATION", map(3364));
        assertEquals("MEDICAMENTS/HONORAIRES_DISPENSATION", map(3386));
        assertEquals("HONORAIRES_MEDICAUX/CONSULTATIONS", map(1110));
        assertEquals("HONORAIRES_MEDICAUX/VISITES", map(1210));
        assertEquals("HONORAIRES_MEDICAUX/TELECONSULTATIONS", map(1191));
        assertEquals("HONORAIRES_MEDICAUX/TELECONSULTATIONS", map(1096));
        assertEquals("HONORAIRES_MEDICAUX/ACTES_TECHNIQUES", map(1352));
        assertEquals("HONORAIRES_DENTAIRES/HONORAIRES_DENTAIRES", map(1432));
        assertEquals("HONORAIRES_DENTAIRES/HONORAIRES_DENTAIRES", map(5203));
        assertEquals("AUXILIAIRES_MEDICAUX/INFIRMIERS", map(3111));
        assertEquals("AUXILIAIRES_MEDICAUX/INFIRMIERS", map(1848));
        assertEquals("AUXILIAIRES_MEDICAUX/KINESITHERAPEUTES", map(3122));
        assertEquals("AUXILIAIRES_MEDICAUX/KINESITHERAPEUTES", map(1845));
        assertEquals("AUXILIAIRES_MEDICAUX/AUTRES_AUXILIAIRES", map(3132));
        assertEquals("BIOLOGIE/ACTES", map(3211));
        assertEquals("BIOLOGIE/PRELEVEMENTS", map(3222));
        assertEquals("PRODUITS_PRESTATIONS/PRODUITS_PRESTATIONS", map(3515));
        assertEquals("TRANSPORTS/AMBULANCES", map(4212));
        assertEquals("TRANSPORTS/VSL", map(4213));
        assertEquals("TRANSPORTS/TAXIS", map(4214));
        assertEquals("TRANSPORTS/TAXIS", map(4229));
        assertEquals("TRANSPORTS/AUTRES_TRANSPORTS", map(4211));
        assertEquals("INDEMNITES_JOURNALIERES/MALADIE_COURT", map(6111));
        assertEquals("INDEMNITES_JOURNALIERES/MALADIE_LONG", map(6112));
        assertEquals("INDEMNITES_JOURNALIERES/AT_MP", map(6120));
        assertEquals("INDEMNITES_JOURNALIERES/MATERNITE", map(6122));
        assertEquals("INDEMNITES_JOURNALIERES/MATERNITE", map(6232));
        assertEquals("INDEMNITES_JOURNALIERES/PATERNITE", map(6212));
        assertEquals("INDEMNITES_JOURNALIERES/PATERNITE", map(6237));
        assertEquals("AUTRES/AUTRES", map(4141));
    }

    @Test
    void aCodeWhoseMappingChangedOnADate() {
        assertEquals("HONORAIRES_MEDICAUX/AUTRES_HONORAIRES", map(1157, LocalDate.of(2018, 9, 14)));
        assertEquals("HONORAIRES_MEDICAUX/TELECONSULTATIONS", map(1157, LocalDate.of(2018, 9, 15)));
    }

    @Test
    void covidNaturesAddedToTheSnapshotAreValidFromTheCampaign() {
        assertEquals("HONORAIRES_MEDICAUX/VACCINATION", map(1929, LocalDate.of(2021, 3, 1)));
        assertNull(map(1929, LocalDate.of(2020, 6, 1)));
        assertTrue(MAPPINGS.stream().anyMatch(m -> m.code() == 3144 && m.covid()));
        assertFalse(MAPPINGS.stream().anyMatch(m -> m.code() == 3111 && m.covid()));
    }

    @Test
    void covidNabmList() {
        List<ReferenceData.CovidNabm> nabm = ReferenceData.covidNabm();
        assertEquals(List.of(5271, 4274, 4719, 4720, 4721, 4722, 9006, 9007), nabm.stream().map(ReferenceData.CovidNabm::code).toList());
        assertEquals(LocalDate.of(2020, 3, 7), nabm.get(0).validFrom());
    }

    @Test
    void unknownCodeHasNoMapping() {
        assertNull(map(8888));
        assertEquals("AUTRES/AUTRES", map(9999)); // IR_NAT_V's own VALEUR INCONNUE is a known code
    }
}

package fr.cpam.analytics.sources;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class NirTest {

    // keys computed by hand: 97 - (number mod 97); Corsica 2A -> 19, 2B -> 18
    @Test
    void rawNirWithAValidKeyIsDetected() {
        assertTrue(Nir.looksLikeRawNir("180057512345627"));
        assertTrue(Nir.looksLikeRawNir("269029912304537"));
        assertTrue(Nir.looksLikeRawNir("1 80 05 75 123 456 27"));
    }

    @Test
    void corsicanDepartementsUseTheirSubstitutes() {
        assertTrue(Nir.looksLikeRawNir("185052A01234579"));
        assertTrue(Nir.looksLikeRawNir("185052B01234509"));
        assertFalse(Nir.looksLikeRawNir("185052A01234509"));
    }

    @Test
    void pseudonymsAndWrongKeysAreNotNirs() {
        assertFalse(Nir.looksLikeRawNir("P0000000000000001"));
        assertFalse(Nir.looksLikeRawNir("180057512345628"));
        assertFalse(Nir.looksLikeRawNir("18005751234562"));
        assertFalse(Nir.looksLikeRawNir(null));
        assertFalse(Nir.looksLikeRawNir("580057512345627".replace('5', '5'))); // sex digit 5 does not exist
    }

    @Test
    void maskReplacesEveryOccurrence() {
        assertEquals("[NIR MASQUE];1;x;[NIR MASQUE]", Nir.mask("180057512345627;1;x;180057512345627", "180057512345627"));
    }
}

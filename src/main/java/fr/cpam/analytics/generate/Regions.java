package fr.cpam.analytics.generate;

import java.util.Map;

/** Région (Open DAMIR ORG_CLE_REG) of a CPAM, from its département code. */
final class Regions {

    private static final Map<String, String> BY_DEPARTEMENT = Map.ofEntries(
            Map.entry("75", "11"), Map.entry("77", "11"), Map.entry("78", "11"), Map.entry("91", "11"),
            Map.entry("92", "11"), Map.entry("93", "11"), Map.entry("94", "11"), Map.entry("95", "11"),
            Map.entry("18", "24"), Map.entry("28", "24"), Map.entry("36", "24"), Map.entry("37", "24"),
            Map.entry("41", "24"), Map.entry("45", "24"), Map.entry("69", "84"), Map.entry("38", "84"),
            Map.entry("13", "93"), Map.entry("06", "93"), Map.entry("59", "32"), Map.entry("62", "32"),
            Map.entry("33", "75"), Map.entry("31", "76"), Map.entry("44", "52"), Map.entry("35", "53"),
            Map.entry("67", "44"), Map.entry("21", "27"), Map.entry("76", "28"));

    private Regions() {
    }

    static String regionOf(String org) {
        String dpt = org.length() == 3 ? org.substring(1) : org;
        return BY_DEPARTEMENT.getOrDefault(dpt, "99");
    }
}

package fr.cpam.analytics.sources;

/**
 * The privacy rule: a value that looks like a raw French social-security number (NIR) must
 * never be stored. A NIR is 13 characters (sex, year, month, departement - {@code 2A}/{@code 2B}
 * for Corsica -, commune, order) followed by a 2-digit key = 97 - (number mod 97).
 */
public final class Nir {

    public static final String MASK = "[NIR MASQUE]";

    private Nir() {
    }

    public static boolean looksLikeRawNir(String value) {
        if (value == null) {
            return false;
        }
        String v = value.indexOf(' ') >= 0 ? value.replace(" ", "") : value;
        if (v.length() != 15) {
            return false;
        }
        String body = v.substring(0, 13).toUpperCase();
        // Corsica: 2A -> 19, 2B -> 18 for the key computation
        if (body.startsWith("2A", 5)) {
            body = body.substring(0, 5) + "19" + body.substring(7);
        } else if (body.startsWith("2B", 5)) {
            body = body.substring(0, 5) + "18" + body.substring(7);
        }
        for (int i = 0; i < 15; i++) {
            char c = i < 13 ? body.charAt(i) : v.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        char first = body.charAt(0);
        if (first != '1' && first != '2' && first != '3' && first != '4' && first != '7' && first != '8') {
            return false;
        }
        long number = Long.parseLong(body);
        int key = Integer.parseInt(v.substring(13));
        return key == 97 - (int) (number % 97);
    }

    /** The value with every raw-NIR occurrence of {@code nir} replaced by the mask. */
    public static String mask(String text, String nir) {
        if (text == null || nir == null || nir.isEmpty()) {
            return text;
        }
        return text.replace(nir, MASK);
    }
}

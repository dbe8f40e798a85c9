package fr.cpam.analytics.generate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Random;

/** Products and acts the generator bills: drugs (CIP13 + ATC), NABM and CCAM codes, LPP and dental natures. */
final class Catalog {

    record Drug(String cip13, String atc, BigDecimal price, double trend) {
    }

    /** Common ATC classes of town pharmacy (none of abuse interest). */
    private static final String[] ATC = {"N02BE01", "C10AA05", "A02BC01", "J01CA04", "C09AA05", "A10BA02", "R03AC02",
            "N06AB10", "C07AB07", "B01AC06", "H03AA01", "M01AE01", "R06AE07", "C08CA01", "A10BD07", "L04AX03",
            "B01AF01", "C09CA01", "N03AX16", "A11CC05", "D07AC01", "S01ED01", "G03AA07", "R01AD09"};

    static final Drug BUPRENORPHINE = new Drug("3400930101011", "N07BC01", new BigDecimal("28.90"), 0);
    static final Drug METHADONE = new Drug("3400930101012", "N07BC02", new BigDecimal("19.40"), 0);
    static final Drug OXYCODONE = new Drug("3400930101013", "N02AA05", new BigDecimal("42.10"), 0);
    static final Drug ZOLPIDEM = new Drug("3400930101014", "N05CF02", new BigDecimal("3.10"), 0);
    static final Drug METHYLPHENIDATE = new Drug("3400930101015", "N06BA04", new BigDecimal("38.20"), 0);
    static final Drug IVERMECTIN = new Drug("3400930101021", "P02CF01", new BigDecimal("18.50"), 0);
    static final Drug AZITHROMYCIN = new Drug("3400930101022", "J01FA10", new BigDecimal("9.80"), 0);
    static final Drug HYDROXYCHLOROQUINE = new Drug("3400930101023", "P01BA02", new BigDecimal("5.10"), 0);
    static final Drug CANCER_DRUG = new Drug("3400930101031", "L01XE01", new BigDecimal("610.00"), 0);
    static final Drug PAIN_RELIEF = new Drug("3400930101032", "N02BE01", new BigDecimal("2.18"), 0);

    /** Non-Covid NABM codes (glucose, blood count, TSH, lipids, creatinine ...). */
    static final int[] NABM = {552, 1104, 1208, 593, 1610, 4340, 1127, 7335, 592, 996, 1806, 4355};
    static final String[] CCAM = {"DEQP003", "ZBQK002", "YYYY600", "QZFA036", "JKQX001", "ZCQM001", "BGQP002",
            "HZHE002", "LHQK001", "NAQK015"};
    static final int[] DENTAL_NATURES = {1432, 1441, 1451, 1452, 1461, 1462, 1412, 1402};
    static final int[] LPP_NATURES = {3515, 3511, 3521, 3541, 3513, 3512, 3535, 3506};

    final Drug[] drugs;

    Catalog(long seed) {
        Random r = new Random(seed ^ 0x5EEDL);
        drugs = new Drug[160];
        for (int i = 0; i < drugs.length; i++) {
            String atc = ATC[i % ATC.length];
            // log-normal prices: most packs cost a few euros, a few cost hundreds
            double price = Math.exp(1.6 + 1.1 * r.nextGaussian());
            price = Math.min(900, Math.max(1.2, price));
            double trend = -0.20 + r.nextDouble() * 0.50; // yearly volume trend, -20 % .. +30 %
            drugs[i] = new Drug("34009" + String.format("%08d", 3000000 + i * 7919), atc,
                    BigDecimal.valueOf(price).setScale(2, RoundingMode.HALF_UP), trend);
        }
    }
}

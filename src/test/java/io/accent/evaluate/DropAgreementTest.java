package io.accent.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DropAgreementTest {

    @Test
    void rmseStdAndCorrelationOfKnownPoints() {
        DropAgreement a =
                DropAgreement.of(
                        List.of(new double[] {1, 1}, new double[] {2, 3}, new double[] {3, 2}));
        assertEquals(3, a.count());
        assertEquals(Math.sqrt(2.0 / 3), a.rmse(), 1e-12);
        assertEquals(Math.sqrt(2.0 / 3), a.actualStd(), 1e-12);
        assertEquals(0.5, a.pearson(), 1e-12);
    }

    @Test
    void noPointsGiveNaN() {
        DropAgreement a = DropAgreement.of(List.of());
        assertEquals(0, a.count());
        assertTrue(Double.isNaN(a.rmse()) && Double.isNaN(a.pearson()));
    }
}

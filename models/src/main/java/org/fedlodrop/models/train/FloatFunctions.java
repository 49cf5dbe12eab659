package org.fedlodrop.models.train;

/** Element-wise functions of the java engine. */
final class FloatFunctions {
    private FloatFunctions() {
    }

    /**
     * tanh x rounded to float32, as {@code (float) Math.tanh(x)} gives it to within one unit in the last
     * place ({@code FloatFunctionsTest}) in a quarter of the time: Math.exp is a JIT intrinsic and
     * Math.tanh is not. (e^{2x} − 1) / (e^{2x} + 1) in double is good to about 1e-13 relative for
     * |x| ≥ 2⁻¹⁰; below, x − x³/3 is exact to float precision; beyond 10, tanh rounds to ±1 in float32.
     */
    static float tanh(float x) {
        float magnitude = Math.abs(x);
        if (magnitude < 0x1p-10f) {
            return magnitude == 0 ? x : x - x * x * x / 3; // keeps the sign of −0
        }
        if (magnitude > 10) {
            return Math.copySign(1f, x);
        }
        double e = Math.exp(2.0 * x);
        return (float) ((e - 1) / (e + 1));
    }
}

package io.accent.tf;

/**
 * Names of the optimizer state stored next to a model's variables, in the graph and in the model
 * directory (docs/SPEC.md): Adam's two moments per variable and its two bias-correction scalars
 * (NCF), Adagrad's accumulator per variable (RCF). The values are part of the model directory
 * format; changing one breaks existing models.
 */
public final class OptimizerSlots {

    /** Suffix of a variable's Adam first moment ({@code P_mlp.adam_m}). */
    public static final String ADAM_M_SUFFIX = ".adam_m";

    /** Suffix of a variable's Adam second moment ({@code P_mlp.adam_v}). */
    public static final String ADAM_V_SUFFIX = ".adam_v";

    /** Adam's β1 power, a scalar shared by all variables. */
    public static final String BETA1_POWER = "adam.beta1_power";

    /** Adam's β2 power, a scalar shared by all variables. */
    public static final String BETA2_POWER = "adam.beta2_power";

    /** Suffix of a variable's Adagrad accumulator ({@code e_user.adagrad}). */
    public static final String ADAGRAD_SUFFIX = ".adagrad";

    private OptimizerSlots() {}

    /** The Adam first moment of {@code variable}. */
    public static String adamM(String variable) {
        return variable + ADAM_M_SUFFIX;
    }

    /** The Adam second moment of {@code variable}. */
    public static String adamV(String variable) {
        return variable + ADAM_V_SUFFIX;
    }

    /** The Adagrad accumulator of {@code variable}. */
    public static String adagrad(String variable) {
        return variable + ADAGRAD_SUFFIX;
    }

    /** Whether {@code name} is one of Adam's scalar beta powers. */
    public static boolean isAdamScalar(String name) {
        return name.equals(BETA1_POWER) || name.equals(BETA2_POWER);
    }
}

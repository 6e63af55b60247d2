using System.Collections.Generic;
using System.Linq;
using Btw.Demo.Training;

namespace Btw.Demo.Experiments;

/// <summary>
/// The configurations of <c>--experiment grid</c>. <see cref="Fixed"/>: every mode at the paper's defaults (the
/// faithful rows, always reported). <see cref="Knobs"/>: a small grid over the knobs of issue 10, chosen to test the
/// hypotheses of the prior evidence (the Disagreement term lifts noisy views; shrinking halves the harm; test-time
/// instance weights help classification): strength {1, 0.5, 0.25}, term {Disagreement, Agreement}, evaluation weights
/// {training mean, FromOutputs}, warm-up {0, 5}, alpha step {0, 0.1}, on KlMi mostly and on Kl and Mi where the knob
/// is meaningful. All of them (fixed and knobs) are candidates of the validation-only selection
/// (<see cref="GridSelection"/>); the test split is reported for the fixed rows and the chosen one.
/// </summary>
internal static class KnobGrid
{
    public static readonly IReadOnlyList<BtwConfiguration> Fixed = new[]
    {
        BtwWeighting.Uniform, BtwWeighting.Kl, BtwWeighting.Mi, BtwWeighting.KlMi, BtwWeighting.Entropy, BtwWeighting.Correlation,
    }.Select(BtwConfiguration.Faithful).ToArray();

    public static readonly IReadOnlyList<BtwConfiguration> Knobs = new[]
    {
        "KlMi+s0.5", "KlMi+s0.25", "KlMi+fo", "KlMi+agree", "KlMi+agree+s0.5", "KlMi+agree+fo", "KlMi+agree+s0.5+fo",
        "KlMi+w5", "KlMi+agree+s0.5+w5", "KlMi+step0.1", "Kl+agree", "Kl+agree+fo", "Mi+s0.5",
    }.Select(BtwConfiguration.Parse).ToArray();

    /// <summary>Fixed rows then knobs: the candidates of the selection, in report order.</summary>
    public static IReadOnlyList<BtwConfiguration> All => Fixed.Concat(Knobs).ToArray();
}

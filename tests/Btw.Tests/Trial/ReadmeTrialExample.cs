// The code between the readme-trial-example markers is the example of README.md and src/Btw/PACKAGE.md ('Does BTW help my
// model?'), verbatim: TrialReadmeTests checks that both documents contain it and runs it, so edit them together.
// <readme-trial-example>
using System;
using System.Collections.Generic;
using Btw;
using static TorchSharp.torch;

namespace MyApp;

public static class TrialExample
{
    /// <summary>
    /// Does BTW help this model? Trains the plain mixture of experts (Uniform) and each candidate weighting on the same
    /// seeds with the loop above, and compares their validation error (1 - accuracy), paired by seed. No test data is
    /// used: evaluate result.Chosen on the test set afterwards, with fresh seeds.
    /// </summary>
    public static BtwTrialResult Run(IReadOnlyList<Batch> train, Tensor[] validationInputs, Tensor validationPresent,
        Tensor validationLabels, int epochs = 10, int seeds = 5)
    {
        var result = BtwTrial.Run(3, BtwTask.Classification, (options, seed) =>
        {
            manual_seed(seed);   // initialisation and gate noise follow the seed: configurations differ only in weighting
            var moe = new BtwMoEOptions { Modalities = 3, EmbeddingDim = 16, Outputs = 3, Experts = 8, TopK = 2 };
            using var model = new ThreeModalityModel(moe, 6, 6, 6);
            using var weighter = new BtwWeighter(options);   // Uniform, then each candidate
            Training.Run(model, weighter, train, epochs);
            using var scope = NewDisposeScope();
            var logits = Training.Predict(model, weighter, validationInputs, validationPresent);
            return 1 - logits.argmax(1).eq(validationLabels).to(ScalarType.Float64).mean().item<double>();
        }, new BtwTrialOptions { Seeds = seeds });
        Console.WriteLine(result.ToMarkdown());   // per configuration: mean loss, Uniform - it with its interval, qualifies
        return result;                            // result.Chosen: Uniform unless a candidate is clearly better
    }
}
// </readme-trial-example>

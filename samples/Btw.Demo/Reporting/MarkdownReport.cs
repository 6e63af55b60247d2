using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Btw.Demo.Data;
using Btw.Demo.Experiments;
using Btw.Demo.Metrics;

namespace Btw.Demo.Reporting;

/// <summary>report.md: how the experiment was run, the result tables, the plots and the files.</summary>
internal static class MarkdownReport
{
    public static string Build(ExperimentPlan plan, DataSplit split, ExperimentSummary summary, string commandLine, TimeSpan elapsed, IReadOnlyList<string> plots, string diagnostics = "", string sections = "", string scenario = "")
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(plots);
        var t = plan.Template;
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.Append(inv, $"# BTW demo: {plan.Dataset}\n\n");
        sb.Append(inv, $"Command (from the repository root): `{commandLine}`  \n");
        sb.Append(inv, $"Finished {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {plan.RunCount} runs in {elapsed.TotalSeconds:0} s of training and evaluation.\n\n");
        sb.Append("## Setup\n\n");
        sb.Append(inv, $"- Data: {split.Description}\n");
        if (scenario.Length > 0)
        {
            sb.Append(inv, $"- Scenario: {scenario}.\n");
        }

        sb.Append(inv, $"- Views (modalities): {string.Join(", ", split.Train.Views.Select(v => $"{v.Name} ({v.Width} features)"))}; task: {split.Train.Task}.\n");
        sb.Append("- Standardisation: statistics of the training split only.\n");
        sb.Append(inv, $"- Model: one Linear({t.EmbeddingDim})-ReLU encoder per view, the library's mixture of experts ({t.Experts} experts, top-{t.TopK}, expert hidden {t.ExpertHidden}); loss = task loss + {t.UnimodalLossWeight} x mean unimodal loss + {t.AuxiliaryLossWeight} x load-balancing loss.\n");
        sb.Append(inv, $"- Training: Adam, learning rate {t.LearningRate}, weight decay {t.WeightDecay}, batch {t.BatchSize}, {t.Epochs} epochs; BTW alpha {t.Alpha}; seeds {string.Join(", ", plan.Seeds)} (torch.manual_seed and the shuffle); configurations {string.Join(", ", plan.Configurations.Select(c => c.Label))}; modality drop rates {string.Join(", ", plan.DropRates.Select(d => d.ToString("0.##", inv)))}.\n");
        sb.Append(inv, $"- Selection: the epoch with the best validation {MetricSet.SelectionMetric(summary.Task)}; the test split is evaluated whenever validation reaches a new best (same parameters and weighter state) and the selected epoch's evaluation is reported.\n");
        sb.Append("- Configurations: a mode's name alone is the paper's configuration; `+agree` = Agreement instance term, `+sX` = strength X, `+wN` = N warm-up epochs, `+stepX` = validation-driven alpha step X, `+fo` / `+mm` = validation/test weights from the library's `PredictUnseen` under FromOutputs (two passes) / ModalityMean.\n");
        sb.Append(t.Protocol == Training.TrainingProtocol.TwoStage
            ? "- Protocol: two-stage (the seed's). Per seed, one unimodal model per view trained alone and frozen, and a baseline MoE (Uniform, the joint run); the weighter reads the frozen unimodal outputs beside the baseline's fused ones for its first fold, then beside the current fused ones each epoch. Validation and test rows have their own weighters fed the same way, so they get their own instance weights (no labels are used to weight). Uniform is the baseline run.\n"
            : t.EvaluationWeights == Training.EvaluationWeights.TrainingMean
            ? "- Weights: training rows get the weighter's weights by row id. Validation and test rows are never observed; they get each modality's mean training weight of the evaluated epoch, times the presence mask, rescaled to sum to the number of present modalities (the library README's advice; no labels are used to weight).\n"
            : "- Weights: training rows get the weighter's weights by row id. Validation and test rows are never observed and get weight 1 for every present modality (`--eval-weights ones`; no labels are used to weight).\n");
        if (plan.DropRates.Any(d => d > 0))
        {
            sb.Append("- Missing modalities: each modality of each row (train, validation and test) is dropped with the given probability, never all of a row's; masks depend only on the seed and the drop rate, so every mode sees the same masks. A dropped view's features are zeroed and `present` is passed to the model and the weighter.\n");
        }

        sb.Append("\n## Results\n\n");
        sb.Append(ReadingGuide(summary.Metrics));
        sb.Append(sections);
        sb.Append(ResultTables.Markdown(summary));
        sb.Append(diagnostics);
        if (plots.Count > 0)
        {
            sb.Append("## Plots\n\n");
            foreach (var plot in plots)
            {
                sb.Append(inv, $"![{plot}](plots/{plot})\n\n");
            }
        }

        sb.Append("## Files\n\n");
        sb.Append("- `epochs.csv`: one row per run and epoch (training loss, validation metrics, mean weight and MI per modality).\n");
        sb.Append("- `runs.csv`: one row per run (selected epoch, its validation and test metrics, seconds).\n");
        sb.Append("- `plots/`: the PNG plots above. `tensorboard/`: event files (`tensorboard --logdir tensorboard`).\n");
        return sb.ToString();
    }

    /// <summary>How to read the result tables: what each one compares, and what makes a difference real.</summary>
    internal static string ReadingGuide(IReadOnlyList<string> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var direction = string.Join("; ", metrics.Select(m => $"{m}: {(MetricSet.HigherIsBetter(m) ? "higher" : "lower")} is better"));
        return "How to read the tables below (one group per modality drop rate):\n\n"
            + $"1. **Test metrics** per mode: mean ± standard deviation over the seeds, each run evaluated once on the test split at the epoch chosen on validation ({direction}). The standard deviation is the spread between seeds, not the uncertainty of the mean.\n"
            + "2. **Paired difference to Uniform** (the key result): for each seed, mode minus Uniform on the same data, split, masks and initialisation, then the mean over seeds with a 95% Student-t interval. A `*` marks an interval that excludes 0: only those differences are distinguishable from seed noise at this number of seeds. A positive Δ means a larger metric, which is better for accuracy-like metrics and worse for errors.\n"
            + "3. **Weights and mutual information**: each modality's mean BTW weight after the last epoch (1 = uniform; the weights of a row sum to the number of its present modalities) and its modality-level MI in nats. A useful view should get a weight above 1 and a noisy one below; Uniform shows 1 by construction.\n\n";
    }
}

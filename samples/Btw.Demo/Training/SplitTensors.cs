using System;
using System.Linq;
using Btw.Demo.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Btw.Demo.Training;

/// <summary>
/// One split as tensors: a float32 [N, width_m] tensor per view (a missing modality's features set to 0,
/// the training mean after standardisation), the presence mask (bool [N, M]), and the targets
/// (int64 labels [N], or float32 standardised regression targets [N]).
/// </summary>
internal sealed class SplitTensors : IDisposable
{
    public SplitTensors(MultiViewDataset data, bool[] present, double targetMean, double targetStdDev)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(present);
        var m = data.Views.Count;
        if (present.Length != data.Rows * m)
        {
            throw new ArgumentException($"Presence mask has {present.Length} entries, expected {data.Rows} x {m}.", nameof(present));
        }

        Rows = data.Rows;
        Data = data;
        PresentMask = present;
        Views = data.Views.Select((view, j) =>
        {
            var values = (float[])view.Values.Clone();
            for (var r = 0; r < data.Rows; r++)
            {
                if (!present[r * m + j])
                {
                    Array.Clear(values, r * view.Width, view.Width);
                }
            }

            return torch.tensor(values, new long[] { data.Rows, view.Width });
        }).ToArray();
        Present = torch.tensor(present, new long[] { data.Rows, m });
        Targets = data.Task == BtwTask.Classification
            ? torch.tensor(data.Labels!.Select(l => (long)l).ToArray(), new long[] { data.Rows })
            : torch.tensor(data.Targets!.Select(t => (float)((t - targetMean) / targetStdDev)).ToArray(), new long[] { data.Rows });
    }

    public MultiViewDataset Data { get; }

    public int Rows { get; }

    public Tensor[] Views { get; }

    public Tensor Present { get; }

    public bool[] PresentMask { get; }

    public Tensor Targets { get; }

    public void Dispose()
    {
        foreach (var view in Views)
        {
            view.Dispose();
        }

        Present.Dispose();
        Targets.Dispose();
    }
}

using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Btw.Kernels;
using Btw.Persistence;
using Btw.Weighting.State;
using Xunit;

namespace Btw.Tests.Weighting.State;

/// <summary>
/// A column added by declaration alone (here a test-only "margin", with a multimodal value and a minimum of 0) is
/// carried by every operation of the epoch state: record, merge, reset, the saved format and its checks on load.
/// </summary>
public class ObservationColumnTests
{
    private static readonly ObservationColumn Margin = new("margin", HasMultimodal: true, Minimum: 0);

    private static readonly ImmutableArray<ObservationColumn> WithMargin = [.. ObservationColumns.All, Margin];

    private static EpochObservations OneRow(double margin)
    {
        var epoch = new EpochObservations(2, WithMargin);
        var row = epoch.RowFor(7);
        epoch.Present(row)[0] = 1;
        epoch.Present(row)[1] = 0;
        foreach (var column in epoch.Columns)
        {
            epoch.Values(column, row).Fill(0.25);
        }

        epoch.Values(Margin, row)[0] = margin;
        epoch.Values(Margin, row)[2] = 3.5;
        return epoch;
    }

    private static byte[] Saved(EpochObservations epoch) => StateFile.Create(epoch.Write);

    private static EpochObservations Loaded(byte[] file) => StateFile.Open(file, r => EpochObservations.Read(r, 2, WithMargin));

    [Fact]
    public void The_declared_widths_give_the_saved_row_size()
    {
        // Written out by hand, not derived from the declarations: header 20 bytes, rows and skipped (4 + 4), one row of
        // id (8) + 2 presence flags + 13 float64 values (divergence 2, value 3, confidence 2, agreement 3, margin 3 at
        // M = 2), checksum 32: 20 + 8 + 8 + 2 + 104 + 32 = 174.
        var file = Saved(OneRow(1.5));
        Assert.Equal(174, file.Length);
        Assert.Equal(3, Margin.Width(2));
        Assert.Equal(2, ObservationColumns.Divergence.Width(2));
    }

    [Fact]
    public void Merge_and_the_saved_format_carry_the_added_column()
    {
        var source = OneRow(1.5);
        var merged = new EpochObservations(2, WithMargin);
        merged.Merge(source);
        Assert.Equal([1.5, 0.25, 3.5], merged.Values(Margin, 0).ToArray());

        var loaded = Loaded(Saved(source));
        Assert.Equal(1, loaded.Rows);
        Assert.Equal(7, loaded.Id(0));
        Assert.Equal([1.5, 0.25, 3.5], loaded.Values(Margin, 0).ToArray());
        Assert.Equal([0.25, 0.25], loaded.Values(ObservationColumns.Divergence, 0).ToArray());
        Assert.Equal(Saved(source), Saved(loaded));
    }

    [Fact]
    public void A_value_below_the_declared_minimum_is_rejected_on_load_naming_the_column()
    {
        var ex = Assert.Throws<InvalidDataException>(() => Loaded(Saved(OneRow(-1.0))));
        Assert.Contains("a margin outside [0,", ex.Message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void Reset_forgets_the_rows_and_a_new_row_reuses_the_buffers()
    {
        var epoch = OneRow(1.5);
        epoch.Reset();
        Assert.Equal(0, epoch.Rows);
        Assert.Equal(0, epoch.RowFor(9));
        Assert.Equal(9, epoch.Id(0));
    }
}

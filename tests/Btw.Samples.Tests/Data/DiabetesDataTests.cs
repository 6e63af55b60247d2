using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using Btw.Demo.Data;
using Xunit;

namespace Btw.Samples.Tests.Data;

public class DiabetesDataTests
{
    [Fact]
    public void Reads_a_gzip_fixture_into_the_three_views_in_the_documented_column_order()
    {
        var dir = Directory.CreateTempSubdirectory("btw-diabetes-").FullName;
        try
        {
            WriteGzip(Path.Combine(dir, DiabetesData.DataFile), "59 2 32.1 101.0 157 93.2 38.0 4.0 4.8598 87\n48 1 21.6 87.0 183 103.2 70.0 3.0 3.8918 69\n\n");
            WriteGzip(Path.Combine(dir, DiabetesData.TargetFile), "1.510000000000000000e+02\n7.500000000000000000e+01\n");
            var data = DiabetesData.FromTables(
                DiabetesData.ReadGzipTable(Path.Combine(dir, DiabetesData.DataFile)),
                DiabetesData.ReadGzipTable(Path.Combine(dir, DiabetesData.TargetFile)));

            Assert.Equal(2, data.Rows);
            Assert.Equal(new[] { "body", "serum", "demographics" }, data.ViewNames);
            Assert.Equal(new[] { 32.1f, 101f }, data.Views[0].Row(0).ToArray());
            Assert.Equal(new[] { 157f, 93.2f, 38f, 4f, 4.8598f, 87f }, data.Views[1].Row(0).ToArray());
            Assert.Equal(new[] { 48f, 1f }, data.Views[2].Row(1).ToArray());
            Assert.Equal(new[] { 151f, 75f }, data.Targets);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_bundled_files_hold_442_patients_with_the_known_first_row_and_target_range()
    {
        var dir = Path.Combine(DemoPaths.Discover().DataDirectory, "diabetes");
        var data = DiabetesData.FromTables(
            DiabetesData.ReadGzipTable(Path.Combine(dir, DiabetesData.DataFile)),
            DiabetesData.ReadGzipTable(Path.Combine(dir, DiabetesData.TargetFile)));

        Assert.Equal(442, data.Rows);
        Assert.Equal(new[] { 59f, 2f }, data.Views[2].Row(0).ToArray());
        Assert.Equal(151f, data.Targets![0]);
        Assert.Equal(25f, data.Targets.Min());
        Assert.Equal(346f, data.Targets.Max());
        // sex is coded 1/2 in the raw file
        Assert.Equal(new[] { 1f, 2f }, Enumerable.Range(0, data.Rows).Select(r => data.Views[2].Row(r)[1]).Distinct().Order());
    }

    [Fact]
    public void Rejects_ragged_rows_and_mismatched_targets()
    {
        Assert.Throws<FormatException>(() => DiabetesData.ReadTable(new StringReader("1 2 3\n4 5\n"), "x"));
        Assert.Throws<FormatException>(() => DiabetesData.ReadTable(new StringReader("1 two 3\n"), "x"));
        var row = new[] { new double[10] };
        Assert.Throws<FormatException>(() => DiabetesData.FromTables(row, new[] { new[] { 1.0 }, new[] { 2.0 } }));
        Assert.Throws<FormatException>(() => DiabetesData.FromTables(new[] { new double[9] }, new[] { new[] { 1.0 } }));
    }

    private static void WriteGzip(string path, string text)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Optimal);
        gzip.Write(Encoding.ASCII.GetBytes(text));
    }
}

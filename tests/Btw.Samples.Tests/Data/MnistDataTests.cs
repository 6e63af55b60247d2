using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Btw.Demo.Data;
using Xunit;

namespace Btw.Samples.Tests.Data;

public class MnistDataTests
{
    [Fact]
    public void The_three_views_partition_the_28x28_image_by_distance_to_the_edge()
    {
        var counts = new int[3];
        for (var r = 0; r < 28; r++)
        {
            for (var c = 0; c < 28; c++)
            {
                counts[MnistData.ViewOf(r, c)]++;
            }
        }

        Assert.Equal(new[] { 256, 228, 300 }, counts);
        Assert.Equal(0, MnistData.ViewOf(6, 6));
        Assert.Equal(0, MnistData.ViewOf(21, 21));
        Assert.Equal(1, MnistData.ViewOf(5, 14));
        Assert.Equal(1, MnistData.ViewOf(3, 3));
        Assert.Equal(2, MnistData.ViewOf(2, 14));
        Assert.Equal(2, MnistData.ViewOf(27, 0));
    }

    [Fact]
    public void Parses_the_package_json_format_and_restores_the_original_bytes()
    {
        var pixels = Enumerable.Range(0, 2 * 784).Select(i => (byte)(i % 256)).ToArray();
        var json = Json(pixels);

        var parsed = MnistData.ParseDigitJson(Encoding.UTF8.GetBytes(json), "fixture");

        Assert.Equal(pixels, parsed);
        Assert.Throws<FormatException>(() => MnistData.ParseDigitJson(Encoding.UTF8.GetBytes("{ \"data\": [0, 0.5] }"), "short"));
        Assert.Throws<FormatException>(() => MnistData.ParseDigitJson(Encoding.UTF8.GetBytes("{ \"data\": [" + string.Join(",", Enumerable.Repeat("2", 784)) + "] }"), "range"));
    }

    [Fact]
    public void Converts_a_fetched_package_once_to_the_binary_cache_and_reads_it_back()
    {
        var cache = Directory.CreateTempSubdirectory("btw-mnist-").FullName;
        try
        {
            var missing = Assert.Throws<FileNotFoundException>(() => MnistData.Load(cache));
            Assert.Contains("fetch-mnist.sh", missing.Message, StringComparison.Ordinal);

            var digits = Directory.CreateDirectory(Path.Combine(cache, "package", "src", "digits")).FullName;
            for (var d = 0; d < 10; d++)
            {
                // digit d: (d % 2) + 1 images, image k filled with the value 10 * d + k at pixel (14, 14) and at the corner (0, 0)
                var images = (d % 2) + 1;
                var bytes = new byte[images * 784];
                for (var k = 0; k < images; k++)
                {
                    bytes[k * 784 + 14 * 28 + 14] = (byte)(10 * d + k);
                    bytes[k * 784] = 255;
                }

                File.WriteAllText(Path.Combine(digits, $"{d}.json"), Json(bytes));
            }

            var data = MnistData.Load(cache);
            Assert.True(File.Exists(Path.Combine(cache, MnistData.BinaryFile)));
            Assert.Equal(15, data.Rows);
            Assert.Equal(new[] { 0, 1, 1, 2, 3, 3, 4, 5, 5, 6, 7, 7, 8, 9, 9 }, data.Labels);
            Assert.Equal(new[] { 256, 228, 300 }, data.Views.Select(v => v.Width));
            var centre = data.Views[0].FeatureNames.ToList().IndexOf("p14_14");
            Assert.Equal(30 / 255f, data.Views[0].Row(4)[centre]); // row 4 = digit 3, image 0
            Assert.Equal(31 / 255f, data.Views[0].Row(5)[centre]); // row 5 = digit 3, image 1
            Assert.Equal(1f, data.Views[2].Row(5)[data.Views[2].FeatureNames.ToList().IndexOf("p0_0")]);

            // The second load reads the binary cache even when the JSON is gone.
            Directory.Delete(Path.Combine(cache, "package"), recursive: true);
            var again = MnistData.Load(cache);
            Assert.Equal(data.Labels, again.Labels);
            Assert.Equal(data.Views[1].Values, again.Views[1].Values);
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    private static string Json(byte[] pixels) =>
        "{ \"data\": [" + string.Join(",", pixels.Select(p => Math.Round(p / 255.0, 3).ToString(CultureInfo.InvariantCulture))) + "] }";
}

using Btw.Demo.Reporting;
using Xunit;

namespace Btw.Samples.Tests.Reporting;

public class ResultTablesTests
{
    [Theory]
    [InlineData("accuracy", 0.9, 0.9, "0.9000")]
    [InlineData("pearson_r", 0.75531, 0.76, "0.7553")]
    [InlineData("mae", 0.51334, 0.53, "0.5133")]
    [InlineData("mae", 44.2149, 46.0, "44.21")]
    [InlineData("rmse", 0.774, 54.1, "0.77")]
    [InlineData("mae", double.NaN, 1.0, "n/a")]
    public void Values_keep_enough_decimals_for_their_column(string metric, double value, double scale, string expected) =>
        Assert.Equal(expected, ResultTables.Value(metric, value, scale));

    [Fact]
    public void Signed_values_carry_a_plus_for_gains()
    {
        Assert.Equal("+0.0120", ResultTables.Signed("accuracy", 0.012));
        Assert.Equal("-1.32", ResultTables.Signed("mae", -1.3199, 45));
    }
}

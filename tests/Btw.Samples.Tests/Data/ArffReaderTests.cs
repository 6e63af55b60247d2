using System;
using System.IO;
using Btw.Demo.Data;
using Xunit;

namespace Btw.Samples.Tests.Data;

public class ArffReaderTests
{
    private const string Fixture = """
        % a comment line
        @RELATION 'tiny relation'   % trailing comment

        @attribute width numeric
        @Attribute 'odd, name' REAL
        @attribute count integer
        @attribute class {a, 'b c', d}

        @data
        % comment inside data
        1.5, 2, 3, a
        -0.25,1e-3,?,'b c'
        4,5,6,d
        """;

    [Fact]
    public void Parses_relation_attributes_rows_comments_quotes_and_missing_values()
    {
        var doc = ArffReader.Read(new StringReader(Fixture));

        Assert.Equal("tiny relation", doc.Relation);
        Assert.Equal(new[] { "width", "odd, name", "count", "class" }, Array.ConvertAll(new[] { 0, 1, 2, 3 }, i => doc.Attributes[i].Name));
        Assert.False(doc.Attributes[0].IsNominal);
        Assert.Equal(new[] { "a", "b c", "d" }, doc.Attributes[3].NominalValues);
        Assert.Equal(3, doc.Rows.Count);
        Assert.Equal(new[] { 1.5, 2, 3, 0 }, doc.Rows[0]);
        Assert.Equal(-0.25, doc.Rows[1][0]);
        Assert.Equal(1e-3, doc.Rows[1][1]);
        Assert.True(double.IsNaN(doc.Rows[1][2]));
        Assert.Equal(1, doc.Rows[1][3]);
        Assert.Equal(2, doc.Rows[2][3]);
        Assert.Equal(1, doc.IndexOf("ODD, NAME"));
    }

    [Theory]
    [InlineData("@relation r\n@attribute x numeric\n@data\n1,2\n", "expected 1 values, found 2")]
    [InlineData("@relation r\n@attribute c {a,b}\n@data\nz\n", "'z' of nominal attribute 'c'")]
    [InlineData("@relation r\n@attribute x numeric\n@data\nabc\n", "'abc' of numeric attribute 'x' is not a number")]
    [InlineData("@relation r\n@attribute s string\n@data\n", "unsupported type 'string'")]
    [InlineData("@relation r\n@attribute x numeric\n", "no @data section")]
    [InlineData("@attribute x numeric\n@data\n1\n", "no @relation")]
    [InlineData("@relation r\n@attribute x numeric\n@data\n{0 1}\n", "sparse")]
    public void Rejects_malformed_input_with_a_message_that_names_the_problem(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => ArffReader.Read(new StringReader(text)));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}

using MediaGateway.Contracts;

namespace MediaGateway.Tests.Contracts;

/// <summary>What SafeText leaves of outside text before it is logged, stored or echoed.</summary>
public sealed class SafeTextTests
{
    [Theory]
    [InlineData("a\nb", "a\\u000ab")]
    [InlineData("star \u202ewars", "star \\u202ewars")]
    [InlineData("\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069", "\\u202a\\u202b\\u202c\\u202d\\u2066\\u2067\\u2068\\u2069")]
    [InlineData("Amélie — ça va", "Amélie — ça va")]
    public void Control_and_bidi_characters_are_escaped_and_other_text_kept(string text, string escaped) =>
        Assert.Equal(escaped, SafeText.Escape(text));

    [Fact]
    public void Escaping_twice_changes_nothing_more() =>
        Assert.Equal(SafeText.Escape("x\u202ey\n"), SafeText.Escape(SafeText.Escape("x\u202ey\n")));

    [Fact]
    public void Bidi_controls_are_stripped_from_text_that_is_searched() =>
        Assert.Equal("star wars", SafeText.WithoutBidiControls("star \u2066wars\u2069\u202e"));
}

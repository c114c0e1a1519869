using PrivateCa.X509.Internal;

namespace PrivateCa.Tests.X509.Internal;

/// <summary>Every text from input goes into messages through <see cref="NameText"/>: what it must escape, and how it cuts.</summary>
public sealed class NameTextTests
{
    [Theory]
    [InlineData("plain.example", "plain.example")]
    [InlineData("a\nb\rc\td", "a\\nb\\rc\\td")]
    [InlineData("evil\u202Etxt.exe", "evil\\u202Etxt.exe")]
    [InlineData("C:\\certs\\ca.pem", "C:\\certs\\ca.pem")]
    [InlineData("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645 \U0001F469\u200D\U0001F4BB", "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645 \U0001F469\u200D\U0001F4BB")] // ZWNJ and ZWJ stay: names need them
    [InlineData("soft\u00ADhyphen\u2066isolate", "soft\\u00ADhyphen\\u2066isolate")]                   // backslashes stay: Windows paths remain readable
    [InlineData("caf\u00E9 \U0001F600", "caf\u00E9 \U0001F600")]              // letters and emoji (a surrogate pair) are not unsafe
    [InlineData("cert\U000E0049\U000E0047.pem", "cert\\u{E0049}\\u{E0047}.pem")] // invisible tag characters beyond U+FFFF
    public void Escape_WritesUnsafeCharactersAsEscapes(string input, string expected)
    {
        NameText.Escape(input).Should().Be(expected);
        NameText.Escape(NameText.Escape(input)).Should().Be(expected, "escaping twice changes nothing, so layers may each escape");
    }

    [Fact]
    public void Escape_LoneSurrogates_AreWrittenAsEscapes()
    {
        // Built in code: a test-case attribute would carry them through serialization as U+FFFD.
        NameText.Escape("lone" + (char)0xD800 + "high").Should().Be("lone\\uD800high");
        NameText.Escape("lone" + (char)0xDC00 + "low").Should().Be("lone\\uDC00low");
        NameText.Escape("end" + (char)0xD800).Should().Be("end\\uD800");
    }

    [Fact]
    public void Name_LongName_IsCutWithAnEllipsisNeverInsideAnEscape()
    {
        var name = NameText.Name(new string('\u0001', 8000));

        name.Length.Should().BeLessThanOrEqualTo(NameText.MaxNameLength + 1);
        name.Should().EndWith("\\u0001…");
        NameText.Name(new string('a', NameText.MaxNameLength)).Should().HaveLength(NameText.MaxNameLength, "a name at the limit is not cut");
        NameText.Name(new string('a', NameText.MaxNameLength + 1)).Should().Be(new string('a', NameText.MaxNameLength) + "…");
    }
}

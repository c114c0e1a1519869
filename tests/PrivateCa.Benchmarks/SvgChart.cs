using System.Globalization;
using System.Net;
using System.Text;

namespace PrivateCa.Benchmarks;

/// <summary>A line chart written as SVG text: log or linear axes, one polyline with markers per series, a legend.
/// Enough for the benchmark plots without a plotting package.</summary>
public static class SvgChart
{
    private const double Width = 720;
    private const double Height = 440;
    private const double Left = 80;
    private const double Right = 210;
    private const double Top = 40;
    private const double Bottom = 60;
    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"];

    public sealed record Series(string Name, IReadOnlyList<(double X, double Y)> Points);

    public static string Render(string title, string xLabel, string yLabel, bool xLog, bool yLog, IReadOnlyList<Series> series)
    {
        var points = series.SelectMany(s => s.Points).ToList();
        var (xMin, xMax) = Range(points.Select(p => p.X), xLog);
        var (yMin, yMax) = Range(points.Select(p => p.Y), yLog);
        double X(double x) => Left + ((Scale(x, xLog) - Scale(xMin, xLog)) / (Scale(xMax, xLog) - Scale(xMin, xLog)) * (Width - Left - Right));
        double Y(double y) => Height - Bottom - ((Scale(y, yLog) - Scale(yMin, yLog)) / (Scale(yMax, yLog) - Scale(yMin, yLog)) * (Height - Top - Bottom));

        var svg = new StringBuilder();
        svg.AppendLine(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">"));
        svg.AppendLine(Invariant($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>"));
        svg.AppendLine(Invariant($"<text x=\"{Width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{Escape(title)}</text>"));
        foreach (var tick in Ticks(xMin, xMax, xLog, series.SelectMany(s => s.Points.Select(p => p.X)).Distinct().ToList()))
        {
            svg.AppendLine(Invariant($"<line x1=\"{X(tick):0.0}\" y1=\"{Top}\" x2=\"{X(tick):0.0}\" y2=\"{Height - Bottom}\" stroke=\"#ddd\"/>"));
            svg.AppendLine(Invariant($"<text x=\"{X(tick):0.0}\" y=\"{Height - Bottom + 18}\" text-anchor=\"middle\">{Label(tick)}</text>"));
        }

        foreach (var tick in Ticks(yMin, yMax, yLog, []))
        {
            svg.AppendLine(Invariant($"<line x1=\"{Left}\" y1=\"{Y(tick):0.0}\" x2=\"{Width - Right}\" y2=\"{Y(tick):0.0}\" stroke=\"#ddd\"/>"));
            svg.AppendLine(Invariant($"<text x=\"{Left - 6}\" y=\"{Y(tick) + 4:0.0}\" text-anchor=\"end\">{Label(tick)}</text>"));
        }

        svg.AppendLine(Invariant($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"none\" stroke=\"#333\"/>"));
        svg.AppendLine(Invariant($"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 18}\" text-anchor=\"middle\">{Escape(xLabel)}</text>"));
        svg.AppendLine(Invariant($"<text transform=\"translate(18 {(Top + Height - Bottom) / 2}) rotate(-90)\" text-anchor=\"middle\">{Escape(yLabel)}</text>"));
        for (var i = 0; i < series.Count; i++)
        {
            var color = Colors[i % Colors.Length];
            var line = string.Join(" ", series[i].Points.OrderBy(p => p.X).Select(p => Invariant($"{X(p.X):0.0},{Y(p.Y):0.0}")));
            svg.AppendLine(Invariant($"<polyline points=\"{line}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"/>"));
            foreach (var (x, y) in series[i].Points)
            {
                svg.AppendLine(Invariant($"<circle cx=\"{X(x):0.0}\" cy=\"{Y(y):0.0}\" r=\"3.5\" fill=\"{color}\"/>"));
            }

            var legendY = Top + 10 + (i * 20);
            svg.AppendLine(Invariant($"<line x1=\"{Width - Right + 12}\" y1=\"{legendY}\" x2=\"{Width - Right + 32}\" y2=\"{legendY}\" stroke=\"{color}\" stroke-width=\"2\"/>"));
            svg.AppendLine(Invariant($"<text x=\"{Width - Right + 38}\" y=\"{legendY + 4}\">{Escape(series[i].Name)}</text>"));
        }

        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static double Scale(double value, bool log) => log ? Math.Log10(value) : value;

    private static (double Min, double Max) Range(IEnumerable<double> values, bool log)
    {
        var list = values.Where(v => !log || v > 0).ToList();
        var (min, max) = (list.Min(), list.Max());
        if (log)
        {
            return (Math.Pow(10, Math.Floor(Math.Log10(min))), Math.Pow(10, Math.Ceiling(Math.Log10(max * 1.0001))));
        }

        var step = NiceStep((max - Math.Min(0, min)) / 5);
        return (Math.Min(0, Math.Floor(min / step) * step), Math.Ceiling(max * 1.05 / step) * step);
    }

    private static IEnumerable<double> Ticks(double min, double max, bool log, List<double> data)
    {
        if (log && data.Count is > 0 and <= 6)
        {
            // Few distinct x values (bundle sizes, client counts): label exactly those.
            return data.Order();
        }

        if (log)
        {
            var ticks = new List<double>();
            for (var decade = min; decade <= max * 1.0001; decade *= 10)
            {
                ticks.Add(decade);
            }

            return ticks;
        }

        var step = NiceStep((max - min) / 5);
        return Enumerable.Range(0, (int)Math.Round((max - min) / step) + 1).Select(i => min + (i * step));
    }

    private static double NiceStep(double raw)
    {
        if (raw <= 0)
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var normal = raw / magnitude;
        return (normal <= 1 ? 1 : normal <= 2 ? 2 : normal <= 5 ? 5 : 10) * magnitude;
    }

    private static string Label(double value) =>
        value >= 1 ? value.ToString("#,0.##", CultureInfo.InvariantCulture) : value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

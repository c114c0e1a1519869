using System.Diagnostics.Metrics;

namespace PrivateCa.Integration.Internal;

/// <summary>The 'PrivateCa' meter: validations by outcome and reason, reloads by outcome, days until the earliest anchor expires.</summary>
internal sealed class PrivateCaMetrics : IDisposable
{
    public const string MeterName = "PrivateCa";
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _validations;
    private readonly Counter<long> _reloads;
    private readonly Counter<long> _withdrawn;
    private readonly List<Func<Measurement<double>>> _expiries = [];
    private readonly Lock _gate = new();

    public PrivateCaMetrics(IMeterFactory? factory)
    {
        _ownsMeter = factory is null;
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _validations = _meter.CreateCounter<long>("privateca.validations", "{validation}", "Server certificate validations by outcome (trusted, rejected) and reason (a TrustFailure name).");
        _reloads = _meter.CreateCounter<long>("privateca.reloads", "{reload}", "Bundle reloads by outcome (applied, unchanged, rejected).");
        _withdrawn = _meter.CreateCounter<long>("privateca.connections.withdrawn", "{connection}", "Pooled connections dropped because the trust in force no longer trusts their server.");
        _meter.CreateObservableGauge("privateca.anchor.expiry", ObserveExpiries, "d", "Days until the earliest anchor of each trust source expires.");
    }

    public void Validated(TrustFailure failure) =>
        _validations.Add(1, new KeyValuePair<string, object?>("outcome", failure == TrustFailure.None ? "trusted" : "rejected"),
            new KeyValuePair<string, object?>("reason", failure.ToString()));

    public void ConnectionWithdrawn() => _withdrawn.Add(1);

    public void Reloaded(string outcome) => _reloads.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void ObserveExpiry(Func<Measurement<double>> observe)
    {
        lock (_gate)
        {
            _expiries.Add(observe);
        }
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private IEnumerable<Measurement<double>> ObserveExpiries()
    {
        Func<Measurement<double>>[] observers;
        lock (_gate)
        {
            observers = [.. _expiries];
        }

        return observers.Select(o => o());
    }
}

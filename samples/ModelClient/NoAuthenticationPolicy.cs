using System.ClientModel.Primitives;

namespace ModelClient;

/// <summary>
/// For endpoints that need no API key (vLLM without --api-key, Ollama, many gateways on an internal network): sends no
/// Authorization header at all, rather than a made-up key.
/// </summary>
public sealed class NoAuthenticationPolicy : AuthenticationPolicy
{
    /// <inheritdoc/>
    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
        ProcessNext(message, pipeline, currentIndex);

    /// <inheritdoc/>
    public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
        ProcessNextAsync(message, pipeline, currentIndex);
}

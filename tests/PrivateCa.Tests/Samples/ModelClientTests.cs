using ModelClient;

namespace PrivateCa.Tests.Samples;

/// <summary>The README's run command, end to end: private CA, local model endpoint, both SDK paths, the explained rejection.</summary>
public sealed class ModelClientTests
{
    [Fact]
    public async Task RunLocal_NoSetup_PrintsAnswersFromBothSdksAndTheRejection()
    {
        using var output = new StringWriter();

        var exitCode = await Demo.RunLocalAsync(output);

        var text = output.ToString();
        exitCode.Should().Be(0, text);
        text.Should().Contain($"Models:                  {LocalModelServer.ModelName}");
        text.Should().Contain("OpenAI SDK:              Hello from private-echo-1 behind a private CA. You said: Which CA do you trust?");
        text.Should().Contain("OpenAI SDK, streaming:   Hello from private-echo-1 behind a private CA. You said: Stream this answer.");
        text.Should().Contain("Microsoft.Extensions.AI: Hello from private-echo-1 behind a private CA. You said: Hello through Microsoft.Extensions.AI.");
        text.Should().MatchRegex(@"PrivateCa rejected the certificate of 127\.0\.0\.1:\d+: issuer 'CN=Unknown Corp Root CA, O=Unknown Corp' is not in the 1 anchor loaded from")
            .And.Contain("Fix:");
    }
}

using Microsoft.Extensions.Options;

namespace PrivateCa.Integration.Internal;

/// <summary>The data annotations of <see cref="PrivateCaTrustOptions"/> (enum values that are defined), checked by generated code.</summary>
[OptionsValidator]
internal sealed partial class PrivateCaTrustOptionsDataValidator : IValidateOptions<PrivateCaTrustOptions>;

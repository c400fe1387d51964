using System.Security.Cryptography;
using System.Text;
using MediaGateway.Functions.Http;
using Microsoft.Extensions.Primitives;

namespace MediaGateway.LocalHost;

/// <summary>
/// The local host's stand-in for the Functions host's function keys. Routes whose trigger says
/// <c>AuthorizationLevel.Function</c> (or higher) need this key, sent the way Azure takes one: the
/// <c>x-functions-key</c> header or the <c>code</c> query parameter. The key is
/// <c>MediaGateway:LocalHost:FunctionKey</c> when set, otherwise a random one made at start and shown once in the
/// log, so a local gateway never serves the private routes to anyone who merely reaches its port.
/// </summary>
public sealed class LocalFunctionKey
{
    public const string ConfigurationKey = "MediaGateway:LocalHost:FunctionKey";
    public const string Header = "x-functions-key";

    /// <summary>
    /// The <c>WWW-Authenticate</c> challenge of a 401 (RFC 9110 §11.6.1 requires one): no registered scheme carries a
    /// function key, so it is named for what it is, with where to send it.
    /// </summary>
    public const string Challenge = $"FunctionKey realm=\"MediaGateway\", header=\"{Header}\", query=\"{QueryParameters.FunctionKey}\"";

    private readonly byte[] _key;

    public LocalFunctionKey(IConfiguration configuration)
    {
        var configured = configuration[ConfigurationKey];
        IsGenerated = string.IsNullOrEmpty(configured);
        Value = IsGenerated ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_') : configured!;
        _key = Encoding.UTF8.GetBytes(Value);
    }

    public string Value { get; }

    /// <summary>True when no key was configured and <see cref="Value"/> was made at start.</summary>
    public bool IsGenerated { get; }

    public bool Accepts(HttpRequest request)
    {
        StringValues given = request.Headers[Header];
        if (StringValues.IsNullOrEmpty(given)) given = request.Query[QueryParameters.FunctionKey];
        // One value exactly, compared in constant time.
        return given.Count == 1 && given[0] is { Length: > 0 } candidate
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _key);
    }
}

namespace MediaGateway.LocalHost;

/// <summary>
/// What one local host process runs (<c>--role</c>). <c>all</c> is the embedded default. <c>gateway</c> and
/// <c>runner</c> split the two halves into separate processes on shared storage (Azurite), as in Azure, so the
/// runner can be stopped or killed alone while the gateway keeps serving (scripts/fault-tests.sh, docs/reliability.md).
/// </summary>
public enum LocalRole
{
    All,
    Gateway,
    Runner,
}

public static class LocalRoles
{
    public const string ConfigurationKey = "role";

    public static LocalRole Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "all" => LocalRole.All,
        "gateway" => LocalRole.Gateway,
        "runner" => LocalRole.Runner,
        _ => throw new LocalHostUsageException($"--role must be 'all', 'gateway' or 'runner', not '{value}'."),
    };

    public static bool RunsGateway(this LocalRole role) => role != LocalRole.Runner;

    public static bool RunsRunner(this LocalRole role) => role != LocalRole.Gateway;
}

namespace MediaGateway.Contracts.Batches;

/// <summary>Input limits of a batch search; every one is enforced by <see cref="BatchSearchRequestValidator"/> or the HTTP reader.</summary>
public static class BatchLimits
{
    public const int MaxQueries = 1_000;

    /// <summary>
    /// Largest batch body accepted (413 beyond). A thousand queries of 512 characters with a few filters each take
    /// about 0.7 MB; 2 MiB leaves room for filters without letting one request hold much memory.
    /// </summary>
    public const int MaxBodyBytes = 2 * 1024 * 1024;

    /// <summary>At most this many field errors are listed in a 400, so a bad 1,000-query body gets a readable answer.</summary>
    public const int MaxReportedErrors = 50;
}

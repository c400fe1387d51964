using MediaGateway.Contracts.Imports;
using MediaGateway.Contracts.Jobs;
using MediaGateway.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace MediaGateway.Functions.Imports;

/// <summary>
/// <c>POST /api/v1/catalog/imports</c> and <c>GET /api/v1/catalog/imports/{id}</c>. An import replaces the catalog
/// every search is answered from, so both routes need a function key, and each has its own per-client rate limit.
/// Rows are validated on the runner with the catalog importer (docs/catalog-format.md); here only the size and the
/// outer shape (a JSON array or JSON Lines) are checked, so a file nobody could import is refused at once. Instead of
/// the file, the body may be <c>{"blobUrl": "..."}</c>: a blob in the deployment's storage account (no other host),
/// which the runner reads with its own identity and imports the same way.
/// </summary>
public sealed class CatalogImportFunctions(CatalogImportGateway imports)
{
    private const string RetryAfterSeconds = "2";

    [Function("StartCatalogImport")]
    public async Task<IActionResult> Start(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/catalog/imports")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (QueryParameters.Refuse(request, QueryParameters.FunctionKey) is { } refused) return refused;
        var (file, problem) = await RequestReader.ReadFileAsync(request, CatalogImportLimits.MaxBodyBytes, AcceptedTypes, cancellationToken);
        if (problem is not null) return problem;
        if (!LooksLikeJson(file.Span))
            return Problems.Validation([new FieldError("body", "must be a JSON array of catalog records or JSON Lines (one record object per line); see docs/catalog-format.md.")], request.Path);
        if (BlobRequest(file.Span) is { } fromBlob)
        {
            var error = fromBlob.Problem ?? (imports.CheckBlobUrl(fromBlob.Request!.BlobUrl) is { } refusal ? new FieldError("blobUrl", refusal) : null);
            if (error is not null) return Problems.Validation([error], request.Path);
            var started = await imports.StartFromBlobAsync(fromBlob.Request!.BlobUrl!, cancellationToken);
            return JsonBodyResult.Accepted(started, ImportPath(started.ImportId), RetryAfterSeconds);
        }

        var import = await imports.StartAsync(file, cancellationToken);
        return JsonBodyResult.Accepted(import, ImportPath(import.ImportId), RetryAfterSeconds);
    }

    [Function("GetCatalogImport")]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/catalog/imports/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        if (QueryParameters.Refuse(request, QueryParameters.FunctionKey) is { } refused) return refused;
        if (!JobIds.IsValid(id))
            return Problems.Validation([new FieldError("id", $"must be an import id as returned by POST /api/v1/catalog/imports ({JobIds.Rule}).")], request.Path);
        if (await imports.GetAsync(id, cancellationToken) is not { } import)
            return Problems.Create(StatusCodes.Status404NotFound, "No such import.", $"No catalog import has id '{id}' (or it has expired).", [new FieldError("id", "no catalog import has this id (or it has expired).")], request.Path);

        var view = new JsonBodyResult(StatusCodes.Status200OK, import);
        if (!import.Status.IsFinished()) view.Headers["Retry-After"] = RetryAfterSeconds;
        return view;
    }

    private sealed record BlobRequestRead(CatalogImportFromBlob? Request, FieldError? Problem);

    /// <summary>
    /// A body that is one small JSON object with a "blobUrl" member asks for a blob import (no catalog record has that
    /// member); null for anything else, which is a catalog file.
    /// </summary>
    private static BlobRequestRead? BlobRequest(ReadOnlySpan<byte> body)
    {
        if (body.Length > CatalogImportFromBlob.MaxUrlLength * 2 || body.IndexOf("\"blobUrl\""u8) < 0) return null;
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(body.ToArray());
            if (doc.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object || !doc.RootElement.TryGetProperty("blobUrl", out var url)) return null;
            if (url.ValueKind != System.Text.Json.JsonValueKind.String) return new(null, new FieldError("blobUrl", "must be a string: the URL of a blob."));
            var urls = 0;
            foreach (var member in doc.RootElement.EnumerateObject())
            {
                if (member.Name != "blobUrl")
                    return new(null, new FieldError(MediaGateway.Contracts.SafeText.Escape(member.Name, 60), "is not a member of a blob import request (only blobUrl)."));
                // Refused as every JSON body with a repeated field is: which one counts must not be a guess.
                if (++urls > 1) return new(null, new FieldError("blobUrl", "is given more than once; send it once."));
            }
            return new(new CatalogImportFromBlob { BlobUrl = url.GetString() }, null);
        }
        catch (System.Text.Json.JsonException)
        {
            return null; // not one JSON document (JSON Lines, say): a file
        }
    }

    public static string ImportPath(string importId) => $"/api/v1/catalog/imports/{importId}";

    /// <summary>JSON (an array), JSON Lines under its common names, or the generic types some tools send (curl sends
    /// form-urlencoded unless given a Content-Type, and is told so in the 415).</summary>
    private static readonly string[] AcceptedTypes = ["application/json", "application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/octet-stream", "text/plain"];

    /// <summary>The first non-blank character (after an optional UTF-8 byte order mark) opens an array or an object.</summary>
    private static bool LooksLikeJson(ReadOnlySpan<byte> file)
    {
        if (file.StartsWith("\uFEFF"u8)) file = file[3..];
        var trimmed = file.TrimStart(" \t\r\n"u8);
        return trimmed.Length > 0 && trimmed[0] is (byte)'[' or (byte)'{';
    }
}

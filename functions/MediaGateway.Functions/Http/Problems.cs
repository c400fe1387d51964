using MediaGateway.Contracts;
using MediaGateway.Contracts.Search;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace MediaGateway.Functions.Http;

/// <summary>The gateway's problem+json answers (RFC 9457), one shape for every error.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json; charset=utf-8";

    /// <summary>
    /// An RFC 9457 problem document as the framework's <see cref="ProblemDetails"/>: type, title, status, detail and
    /// instance in that order, then <c>errors</c> (each bad field) as an extension member, always there (empty when
    /// no one field is to blame), so every problem has the same shape.
    /// Every text is passed through <see cref="SafeText.Escape"/> here, once for all problems: details and errors quote
    /// the caller (a field name, an id, a path), and no control or bidi character of theirs comes back raw.
    /// </summary>
    public static JsonBodyResult Create(int status, string title, string? detail, IReadOnlyList<FieldError>? errors = null, string? instance = null)
    {
        var problem = new ProblemDetails { Type = "about:blank", Title = title, Status = status, Detail = Safe(detail), Instance = Safe(instance) };
        problem.Extensions["errors"] = errors?.Select(e => new FieldError(Safe(e.Field)!, Safe(e.Message)!)).ToArray() ?? [];
        return new(status, problem, ContentType);
    }

    // Not shortened: what is quoted was bounded on the way in (body, path and header limits).
    private static string? Safe(string? text) => text is null ? null : SafeText.Escape(text, int.MaxValue);

    /// <summary>
    /// The answer to a request naming what the catalog lacks: 400 when any of it is a filter value (the request is
    /// wrong for this catalog), otherwise 404 (the item or concept asked for does not exist). Each field is listed.
    /// </summary>
    public static JsonBodyResult Unknown(IReadOnlyList<UnknownReference> unknown, string? instance)
    {
        var errors = unknown.Select(u => new FieldError(u.Field, u.Describe())).ToArray();
        return unknown.Any(u => u.IsFilterValue) ? Validation(errors, instance)
            : Create(StatusCodes.Status404NotFound, "Not found.", UnknownReference.DescribeAll(unknown), errors, instance);
    }

    public static JsonBodyResult Validation(IEnumerable<FieldError> errors, string? instance = null)
    {
        var list = errors.ToArray();
        return Create(StatusCodes.Status400BadRequest, "The request is invalid.",
            string.Join(" ", list.Select(e => $"{e.Field}: {e.Message}")), list, instance);
    }
}

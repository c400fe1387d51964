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
    /// </summary>
    public static JsonBodyResult Create(int status, string title, string? detail, IReadOnlyList<FieldError>? errors = null, string? instance = null)
    {
        var problem = new ProblemDetails { Type = "about:blank", Title = title, Status = status, Detail = detail, Instance = instance };
        problem.Extensions["errors"] = errors ?? [];
        return new(status, problem, ContentType);
    }

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

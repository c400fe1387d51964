namespace MediaGateway.Functions.Http;

/// <summary>One invalid field of a request, as listed in a problem's <c>errors</c>.</summary>
public sealed record FieldError(string Field, string Message);

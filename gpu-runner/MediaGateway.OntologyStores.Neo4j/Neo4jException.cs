namespace MediaGateway.OntologyStores.Neo4j;

/// <summary>Neo4j answered with an <c>errors</c> envelope (<c>{"errors": [{"code": …, "message": …}]}</c>).</summary>
public sealed class Neo4jException(int httpStatus, string code, string message)
    : Exception($"Neo4j answered HTTP {httpStatus} {code}: {message}")
{
    public int HttpStatus { get; } = httpStatus;

    /// <summary>Neo4j's status code, e.g. <c>Neo.ClientError.Security.Unauthorized</c>, <c>Neo.ClientError.Statement.SyntaxError</c>.</summary>
    public string Code { get; } = code;

    public string ServerMessage { get; } = message;
}

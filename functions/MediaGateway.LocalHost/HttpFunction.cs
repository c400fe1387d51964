using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace MediaGateway.LocalHost;

/// <summary>An HTTP-triggered function as its attributes declare it: name, route, verbs, who may call it, and the method.</summary>
public sealed record HttpFunction(string Name, string Route, string[] Verbs, AuthorizationLevel AuthLevel, MethodInfo Method);

using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaGateway.Infra.Tests.Arm;

/// <summary>A value only known during a deployment (reference(), uniqueString(), resourceId() ...).</summary>
public sealed record Unresolved(string Expression)
{
    public override string ToString() => $"<unresolved: {Expression}>";
}

/// <summary>What fail() stands for until an if() drops it; an expression whose value it is fails the deployment.</summary>
public sealed record DeploymentFailure(string Message);

/// <summary>The deployment was refused by the template itself: a fail() was evaluated.</summary>
public sealed class ArmDeploymentFailedException(string message) : Exception(message);

/// <summary>The target of a reference(): a resource type and the last segment of its name.</summary>
public sealed record ResourceRef(string Type, string Name);

/// <summary>
/// Evaluates the part of the ARM template expression language that the compiled Bicep uses for names, settings
/// and conditions: literals, parameters(), variables(), format(), concat(), if(), createArray/createObject(),
/// union(), empty(), not(), equals(), length(), string(), json(), copyIndex(), contains(), join(), the
/// comparisons, fail() (which throws <see cref="ArmDeploymentFailedException"/> unless an if() drops it),
/// reference() of a module deployment (its outputs) or of a resource the test says exists, and property/index access.
/// Anything else (reference(), resourceId(), uniqueString() ...) evaluates to <see cref="Unresolved"/>
/// (inside format() to "{?}"),
/// which is enough to assert what a template sets without deploying it.
/// Values are: null, string, long, bool, <see cref="List{T}"/> of values, or a case-insensitive
/// <see cref="Dictionary{TKey, TValue}"/> of values.
/// </summary>
public static class ArmExpression
{
    public static bool IsExpression(string text) =>
        text.Length >= 2 && text[0] == '[' && text[^1] == ']' && !text.StartsWith("[[", StringComparison.Ordinal);

    public static object? Evaluate(string text, TemplateScope scope)
    {
        if (text.StartsWith("[[", StringComparison.Ordinal)) return text[1..];
        if (!IsExpression(text)) return text;
        var parser = new Parser(text[1..^1], scope);
        var value = parser.ParseExpression();
        parser.ExpectEnd();
        return value is DeploymentFailure failure ? throw new ArmDeploymentFailedException(failure.Message) : value;
    }

    /// <summary>A JSON node as a value, with no expression evaluation (for json() and literal data).</summary>
    public static object? FromJson(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => p.Key, p => FromJson(p.Value), StringComparer.OrdinalIgnoreCase),
        JsonArray a => a.Select(FromJson).ToList(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v => v.GetValue<double>(),
        _ => throw new FormatException($"unexpected JSON node {node.ToJsonString()}"),
    };

    private sealed class Parser(string text, TemplateScope scope)
    {
        private int _pos;
        // Set while parsing the first argument of reference(): resourceId() then names its target.
        private bool _referenceTarget;

        public void ExpectEnd()
        {
            SkipSpace();
            if (_pos != text.Length) throw Error("unexpected text");
        }

        public object? ParseExpression()
        {
            SkipSpace();
            var start = _pos;
            var value = ParsePrimary();
            while (true)
            {
                SkipSpace();
                if (Peek('.'))
                {
                    _pos++;
                    var member = ReadIdentifier();
                    value = Member(value, member, start);
                }
                else if (Peek('['))
                {
                    _pos++;
                    var key = ParseExpression();
                    SkipSpace();
                    Expect(']');
                    value = Index(value, key, start);
                }
                else
                {
                    return value;
                }
            }
        }

        private object? ParsePrimary()
        {
            SkipSpace();
            if (Peek('\'')) return ReadString();
            if (_pos < text.Length && (char.IsDigit(text[_pos]) || text[_pos] == '-')) return ReadNumber();
            var start = _pos;
            var name = ReadIdentifier();
            SkipSpace();
            if (!Peek('('))
            {
                return name.ToLowerInvariant() switch
                {
                    "true" => true,
                    "false" => false,
                    "null" => null,
                    _ => throw Error($"unknown identifier '{name}'"),
                };
            }
            _pos++;
            var args = new List<object?>();
            SkipSpace();
            if (!Peek(')'))
            {
                while (true)
                {
                    var outerTarget = _referenceTarget;
                    _referenceTarget = args.Count == 0 && name.Equals("reference", StringComparison.OrdinalIgnoreCase);
                    var arg = ParseExpression();
                    _referenceTarget = outerTarget;
                    args.Add(arg);
                    SkipSpace();
                    if (Peek(',')) { _pos++; continue; }
                    break;
                }
            }
            Expect(')');
            return Call(name, args, text[start.._pos]);
        }

        private object? Call(string name, List<object?> args, string source)
        {
            var lower = name.ToLowerInvariant();
            // A failure reaching any function but if() fails the whole expression.
            if (lower != "if" && args.FirstOrDefault(a => a is DeploymentFailure) is { } failed) return failed;
            if (_referenceTarget && lower is "resourceid" or "extensionresourceid")
                return ReferenceTarget(args, source);
            // Functions that build structures accept unknown parts, and format() marks them "{?}" (resource names
            // keep their known parts that way); all others need known arguments.
            if (lower is not ("createarray" or "createobject" or "if" or "format") && args.Any(a => a is Unresolved))
                return new Unresolved(source);
            switch (lower)
            {
                case "fail": return new DeploymentFailure(AsString(args[0]));
                case "reference": return args[0] is ResourceRef target ? scope.Reference(target) : new Unresolved(source);
                case "contains":
                    return args[0] switch
                    {
                        List<object?> l => l.Contains(args[1]),
                        string s => s.Contains(AsString(args[1]), StringComparison.OrdinalIgnoreCase),
                        Dictionary<string, object?> d => d.ContainsKey(AsString(args[1])),
                        _ => throw Error("contains() of a scalar"),
                    };
                case "join": return string.Join(AsString(args[1]), ((List<object?>)args[0]!).Select(ToText));
                case "less": return AsLong(args[0]) < AsLong(args[1]);
                case "lessorequals": return AsLong(args[0]) <= AsLong(args[1]);
                case "greater": return AsLong(args[0]) > AsLong(args[1]);
                case "greaterorequals": return AsLong(args[0]) >= AsLong(args[1]);
                case "parameters": return scope.Parameter(AsString(args[0]));
                case "variables": return scope.Variable(AsString(args[0]));
                case "copyindex": return (long)(scope.CopyIndex ?? throw Error("copyIndex() outside a copy loop")) + (args.Count > 0 ? AsLong(args[0]) : 0);
                case "format":
                    if (args[0] is Unresolved) return new Unresolved(source);
                    return string.Format(CultureInfo.InvariantCulture, AsString(args[0]),
                        args.Skip(1).Select(a => a is Unresolved ? "{?}" : ToText(a)).ToArray<object?>());
                case "concat":
                    if (args.All(a => a is List<object?>)) return args.SelectMany(a => (List<object?>)a!).ToList();
                    return string.Concat(args.Select(ToText));
                case "createarray": return args.ToList();
                case "createobject":
                    var created = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                    for (var i = 0; i + 1 < args.Count; i += 2) created[AsString(args[i])] = args[i + 1];
                    return created;
                case "union":
                    if (args.All(a => a is List<object?>)) return args.SelectMany(a => (List<object?>)a!).Distinct().ToList();
                    var merged = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                    foreach (var arg in args)
                        foreach (var (key, value) in (Dictionary<string, object?>)arg!) merged[key] = value;
                    return merged;
                case "if":
                    return args[0] switch
                    {
                        true => args[1],
                        false => args[2],
                        _ => new Unresolved(source),
                    };
                case "empty":
                    return args[0] switch
                    {
                        null => true,
                        string s => s.Length == 0,
                        List<object?> l => l.Count == 0,
                        Dictionary<string, object?> d => d.Count == 0,
                        _ => false,
                    };
                case "not": return !(bool)args[0]!;
                case "and": return args.All(a => (bool)a!);
                case "or": return args.Any(a => (bool)a!);
                case "equals": return Equals(args[0], args[1]);
                case "length":
                    return args[0] switch
                    {
                        string s => (long)s.Length,
                        List<object?> l => (long)l.Count,
                        Dictionary<string, object?> d => (long)d.Count,
                        _ => throw Error("length() of a scalar"),
                    };
                case "string": return ToText(args[0]);
                case "json": return FromJson(JsonNode.Parse(AsString(args[0])));
                case "tolower": return AsString(args[0]).ToLowerInvariant();
                case "toupper": return AsString(args[0]).ToUpperInvariant();
                default: return new Unresolved(source);
            }
        }

        /// <summary>resourceId(..., type, name...) or extensionResourceId(scope, type, name...): the type and the last name.</summary>
        private static object ReferenceTarget(List<object?> args, string source)
        {
            var typeAt = args.FindIndex(a => a is string s && s.Contains('.') && s.Contains('/') && !s.StartsWith('/'));
            return typeAt >= 0 && typeAt + 1 < args.Count && args[^1] is string name
                ? new ResourceRef((string)args[typeAt]!, name)
                : new Unresolved(source);
        }

        private object? Member(object? value, string member, int start) => value switch
        {
            DeploymentFailure => value,
            Unresolved => new Unresolved(text[start.._pos]),
            Dictionary<string, object?> d => d.TryGetValue(member, out var v) ? v : throw Error($"no property '{member}'"),
            _ => throw Error($"'.{member}' on a non-object"),
        };

        private object? Index(object? value, object? key, int start) => (value, key) switch
        {
            (DeploymentFailure, _) => value,
            (_, DeploymentFailure) => key,
            (Unresolved, _) or (_, Unresolved) => new Unresolved(text[start.._pos]),
            (Dictionary<string, object?> d, string k) => d.TryGetValue(k, out var v) ? v : throw Error($"no property '{k}'"),
            (List<object?> l, long i) => l[(int)i],
            _ => throw Error("bad index"),
        };

        private string ReadString()
        {
            Expect('\'');
            var sb = new StringBuilder();
            while (true)
            {
                if (_pos >= text.Length) throw Error("unterminated string");
                var c = text[_pos++];
                if (c != '\'') { sb.Append(c); continue; }
                if (Peek('\'')) { sb.Append('\''); _pos++; continue; }
                return sb.ToString();
            }
        }

        private long ReadNumber()
        {
            var start = _pos;
            if (text[_pos] == '-') _pos++;
            while (_pos < text.Length && char.IsDigit(text[_pos])) _pos++;
            return long.Parse(text[start.._pos], CultureInfo.InvariantCulture);
        }

        private string ReadIdentifier()
        {
            SkipSpace();
            var start = _pos;
            while (_pos < text.Length && (char.IsLetterOrDigit(text[_pos]) || text[_pos] == '_')) _pos++;
            if (_pos == start) throw Error("identifier expected");
            return text[start.._pos];
        }

        private bool Peek(char c) => _pos < text.Length && text[_pos] == c;

        private void Expect(char c)
        {
            if (!Peek(c)) throw Error($"'{c}' expected");
            _pos++;
        }

        private void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) _pos++;
        }

        private FormatException Error(string what) => new($"ARM expression [{text}]: {what} at {_pos}");

        private static string AsString(object? value) => value as string ?? throw new FormatException($"string expected, got {value}");

        private static long AsLong(object? value) => value is long l ? l : throw new FormatException($"integer expected, got {value}");
    }

    /// <summary>A value as ARM's string() would write it.</summary>
    public static string ToText(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        _ => JsonSerializer.Serialize(value),
    };
}

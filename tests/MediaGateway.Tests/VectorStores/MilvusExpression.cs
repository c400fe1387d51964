using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace MediaGateway.Tests.VectorStores;

/// <summary>
/// The double's reading of Milvus boolean filter expressions: a real tokenizer and recursive-descent parser
/// for the documented subset (comparisons, <c>in</c>/<c>not in</c>, <c>ARRAY_CONTAINS_ANY</c>, <c>is [not] null</c>,
/// <c>and</c>/<c>&amp;&amp;</c>, <c>or</c>/<c>||</c>, <c>not</c>/<c>!</c>, parentheses, true/false), with Milvus's string
/// escapes and its null semantics (any comparison with null is false). Anything else is a parse error, as in
/// Milvus, so an expression that an unescaped value broke open fails or filters differently, and tests see it.
/// </summary>
internal sealed class MilvusExpression
{
    private readonly List<Token> _tokens;
    private readonly Func<string, bool> _fieldExists;
    private int _at;

    private MilvusExpression(string text, Func<string, bool> fieldExists)
    {
        _tokens = Tokenize(text);
        _fieldExists = fieldExists;
    }

    /// <summary>The predicate the expression states, or a <see cref="FormatException"/> saying why it does not parse.</summary>
    public static Func<JsonObject, bool> Parse(string text, Func<string, bool> fieldExists)
    {
        var parser = new MilvusExpression(text, fieldExists);
        var predicate = parser.Or();
        if (parser.Peek.Kind != Kind.End) throw new FormatException($"cannot parse expression: {text}, unexpected '{parser.Peek.Text}'");
        return predicate;
    }

    private enum Kind { Identifier, String, Number, Symbol, End }

    private readonly record struct Token(Kind Kind, string Text, object? Value = null);

    private Token Peek => _tokens[_at];

    private Token Next() => _tokens[_at++];

    private bool Accept(string text)
    {
        if ((Peek.Kind is Kind.Symbol or Kind.Identifier) && string.Equals(Peek.Text, text, StringComparison.OrdinalIgnoreCase))
        {
            _at++;
            return true;
        }
        return false;
    }

    private void Expect(string text)
    {
        if (!Accept(text)) throw new FormatException($"cannot parse expression: expected '{text}', found '{Peek.Text}'");
    }

    private Func<JsonObject, bool> Or()
    {
        var left = And();
        while (Accept("or") || Accept("||"))
        {
            var (l, r) = (left, And());
            left = row => l(row) || r(row);
        }
        return left;
    }

    private Func<JsonObject, bool> And()
    {
        var left = Not();
        while (Accept("and") || Accept("&&"))
        {
            var (l, r) = (left, Not());
            left = row => l(row) && r(row);
        }
        return left;
    }

    private Func<JsonObject, bool> Not()
    {
        if (Accept("not") || Accept("!"))
        {
            var inner = Not();
            return row => !inner(row);
        }
        return Primary();
    }

    private Func<JsonObject, bool> Primary()
    {
        if (Accept("("))
        {
            var inner = Or();
            Expect(")");
            return inner;
        }
        if (Accept("true")) return _ => true;
        if (Accept("false")) return _ => false;
        if (Accept("ARRAY_CONTAINS_ANY"))
        {
            Expect("(");
            var arrayField = Field();
            Expect(",");
            var values = List();
            Expect(")");
            return row => row[arrayField] is JsonArray array && array.Any(e => e is not null && values.Any(v => Equal(e, v)));
        }
        var field = Field();
        if (Accept("is"))
        {
            var negated = Accept("not");
            Expect("null");
            return row => (row[field] is null) != negated;
        }
        if (Accept("in"))
        {
            var values = List();
            return row => row[field] is { } v && values.Any(x => Equal(v, x));
        }
        if (Accept("not"))
        {
            Expect("in");
            var values = List();
            return row => row[field] is { } v && !values.Any(x => Equal(v, x));
        }
        var op = Next();
        if (op.Kind != Kind.Symbol || op.Text is not ("==" or "!=" or "<" or "<=" or ">" or ">="))
            throw new FormatException($"cannot parse expression: unsupported operator '{op.Text}' after {field}");
        var literal = Literal();
        return row => row[field] is { } v && Compare(v, op.Text, literal);
    }

    private string Field()
    {
        var t = Next();
        if (t.Kind != Kind.Identifier) throw new FormatException($"cannot parse expression: expected a field, found '{t.Text}'");
        if (!_fieldExists(t.Text)) throw new FormatException($"field {t.Text} not exist");
        return t.Text;
    }

    private object Literal()
    {
        var t = Next();
        return t.Kind is Kind.String or Kind.Number ? t.Value! : throw new FormatException($"cannot parse expression: expected a value, found '{t.Text}'");
    }

    private List<object> List()
    {
        Expect("[");
        var values = new List<object>();
        if (Accept("]")) return values;
        do values.Add(Literal()); while (Accept(","));
        Expect("]");
        return values;
    }

    private static bool Equal(JsonNode value, object literal) => literal switch
    {
        string s => value.GetValueKind() == System.Text.Json.JsonValueKind.String && value.GetValue<string>() == s,
        double d => value.GetValueKind() == System.Text.Json.JsonValueKind.Number && value.GetValue<double>() == d,
        _ => false,
    };

    private static bool Compare(JsonNode value, string op, object literal)
    {
        int order;
        if (literal is double d && value.GetValueKind() == System.Text.Json.JsonValueKind.Number) order = value.GetValue<double>().CompareTo(d);
        else if (literal is string s && value.GetValueKind() == System.Text.Json.JsonValueKind.String) order = string.CompareOrdinal(value.GetValue<string>(), s);
        else throw new FormatException($"cannot compare {value.GetValueKind()} with {literal.GetType().Name}");
        return op switch { "==" => order == 0, "!=" => order != 0, "<" => order < 0, "<=" => order <= 0, ">" => order > 0, _ => order >= 0 };
    }

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c is '"' or '\'')
            {
                var value = new StringBuilder();
                var start = i++;
                while (true)
                {
                    if (i >= text.Length) throw new FormatException($"cannot parse expression: unterminated string at {start}");
                    var ch = text[i++];
                    if (ch == c) break;
                    if (ch != '\\') { value.Append(ch); continue; }
                    if (i >= text.Length) throw new FormatException("cannot parse expression: dangling escape");
                    var e = text[i++];
                    switch (e)
                    {
                        case '\\' or '"' or '\'': value.Append(e); break;
                        case 'n': value.Append('\n'); break;
                        case 'r': value.Append('\r'); break;
                        case 't': value.Append('\t'); break;
                        case 'u' when i + 4 <= text.Length && int.TryParse(text.AsSpan(i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code):
                            value.Append((char)code);
                            i += 4;
                            break;
                        default: throw new FormatException($"cannot parse expression: invalid escape '\\{e}'");
                    }
                }
                tokens.Add(new Token(Kind.String, text[start..i], value.ToString()));
                continue;
            }
            if (char.IsAsciiDigit(c) || (c == '-' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                var start = i++;
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.')) i++;
                tokens.Add(new Token(Kind.Number, text[start..i], double.Parse(text[start..i], CultureInfo.InvariantCulture)));
                continue;
            }
            if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_')) i++;
                tokens.Add(new Token(Kind.Identifier, text[start..i]));
                continue;
            }
            var two = i + 1 < text.Length ? text.Substring(i, 2) : "";
            if (two is "==" or "!=" or "<=" or ">=" or "&&" or "||")
            {
                tokens.Add(new Token(Kind.Symbol, two));
                i += 2;
                continue;
            }
            if (c is '(' or ')' or '[' or ']' or ',' or '<' or '>' or '!')
            {
                tokens.Add(new Token(Kind.Symbol, c.ToString()));
                i++;
                continue;
            }
            throw new FormatException($"cannot parse expression: unexpected character '{c}' at {i}");
        }
        tokens.Add(new Token(Kind.End, "<end>"));
        return tokens;
    }
}

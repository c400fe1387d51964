using System.Text;
using static MediaGateway.Tests.Security.HostileRequest;

namespace MediaGateway.Tests.Security;

/// <summary>
/// The hostile inputs of the security suite: malformed and oversized bodies, control characters, injection
/// strings, odd content types, wrong methods, hostile routes, missing or forged keys, oversized headers. Each
/// has the exact status the gateway must answer; queue-message inputs are tested with the runner.
/// </summary>
public static class HostileRequests
{
    private static string Repeat(string s, int n) => string.Concat(Enumerable.Repeat(s, n));

    private static string Values(int n) => string.Join(",", Enumerable.Range(0, n).Select(i => $"\"g{i}\""));

    public static readonly IReadOnlyList<HostileRequest> All =
    [
        // --- Bodies that are not a search request: 400 naming the field ---------------------------------------
        Search("unterminated object", "{", 400),
        Search("unterminated property", """{"query":""", 400),
        Search("unterminated array", "[", 400),
        Search("bare string", "\"star wars\"", 400),
        Search("bare number", "123", 400),
        Search("bare true", "true", 400),
        Search("json null", "null", 400),
        Search("empty array", "[]", 400),
        Search("empty object", "{}", 400),
        Search("query null", """{"query":null}""", 400),
        Search("query number", """{"query":123}""", 400),
        Search("query array", """{"query":["star wars"]}""", 400),
        Search("query operator object", """{"query":{"$gt":""}}""", 400),
        Search("query boolean", """{"query":true}""", 400),
        Search("limit negative", """{"query":"a","limit":-1}""", 400),
        Search("limit zero", """{"query":"a","limit":0}""", 400),
        Search("limit over max", """{"query":"a","limit":101}""", 400),
        Search("limit int overflow", """{"query":"a","limit":2147483648}""", 400),
        Search("limit huge", """{"query":"a","limit":99999999999999999999999}""", 400),
        Search("limit exponent", """{"query":"a","limit":1e3}""", 400),
        Search("limit fraction", """{"query":"a","limit":1.5}""", 400),
        Search("limit array", """{"query":"a","limit":[]}""", 400),
        Search("limit string out of range", """{"query":"a","limit":"1000"}""", 400),
        Search("limit as a numeric string", """{"query":"a","limit":"5"}""", 400),   // numbers are JSON numbers
        Search("unknown field", """{"query":"a","sort":"year"}""", 400),
        Search("duplicate field", """{"query":"a","query":"b"}""", 400) with { Field = "query" },
        Search("duplicate field differing in case", """{"query":"a","Query":"b"}""", 400) with { Field = "Query", MustSay = "more than once" },
        Search("duplicate nested field", """{"query":"a","filters":{"genres":["Horror"],"genres":["Comedy"]}}""", 400) with { Field = "filters.genres" },
        Post("duplicate field in a recommendation", "/api/v1/recommendations", """{"liked":["a"],"liked":["b"]}""", 400) with { Field = "liked" },
        Keyed("duplicate field in a batch query", HttpMethod.Post, "/api/v1/search/batch", 400) with
        {
            Body = """{"queries":[{"query":"a","limit":1,"limit":2}]}"""u8.ToArray(), ContentType = "application/json", Field = "queries[0].limit",
        },
        Keyed("duplicate blobUrl in a blob import", HttpMethod.Post, "/api/v1/catalog/imports", 400) with
        {
            Body = """{"blobUrl":"https://devstoreaccount1.blob.core.windows.net/imports/a.json","blobUrl":"https://evil.example/b.json"}"""u8.ToArray(),
            ContentType = "application/json", Field = "blobUrl", MustSay = "more than once",
        },
        Search("prototype pollution", """{"__proto__":{"admin":true},"query":"a"}""", 400),
        Search("constructor pollution", """{"constructor":{"prototype":{"admin":true}},"query":"a"}""", 400),
        Search("trailing garbage", """{"query":"a"} trailing""", 400),
        Search("two documents", """{"query":"a"}{"query":"b"}""", 400),
        Search("trailing comma", """{"query":"a",}""", 400),
        Search("single quotes", "{'query':'a'}", 400),
        Search("comment", """{"query":"a" /* hi */}""", 400),
        Search("deep array nesting", Repeat("[", 5000) + Repeat("]", 5000), 400),
        Search("deep object nesting in filters", """{"query":"a","filters":""" + Repeat("""{"genres":""", 200) + "1" + Repeat("}", 200) + "}", 400),
        Search("lone surrogate escape", """{"query":"\ud800"}""", 400),
        SearchBytes("invalid utf-8", [.. "{\"query\":\""u8, 0xff, 0xfe, 0xfd, .. "\"}"u8], 400) with { Field = "body", MustSay = "is not valid UTF-8" },
        SearchBytes("invalid utf-8 in a property name", [.. "{\"qu"u8, 0xc3, .. "\":\"a\"}"u8], 400) with { Field = "body", MustSay = "is not valid UTF-8" },
        SearchBytes("overlong utf-8 slash", [.. "{\"query\":\"a"u8, 0xc0, 0xaf, .. "\"}"u8], 400) with { Field = "body", MustSay = "is not valid UTF-8" },
        SearchBytes("utf-8 encoded surrogate", [.. "{\"query\":\"a"u8, 0xed, 0xa0, 0x80, .. "\"}"u8], 400) with { Field = "body", MustSay = "is not valid UTF-8" },
        SearchBytes("truncated utf-8 sequence at the end", [.. "{\"query\":\"a\"}"u8, 0xe2, 0x82], 400) with { Field = "body", MustSay = "is not valid UTF-8" },
        SearchBytes("utf-16 body", Encoding.Unicode.GetBytes("""{"query":"a"}"""), 400),
        SearchBytes("nul bytes only", new byte[64], 400),
        Search("NaN literal", """{"query":"a","filters":{"minRating":NaN}}""", 400),
        Search("NaN string", """{"query":"a","filters":{"minRating":"NaN"}}""", 400),
        Search("Infinity string", """{"query":"a","filters":{"minRating":"Infinity"}}""", 400),
        Search("rating overflow", """{"query":"a","filters":{"minRating":1e400}}""", 400),
        Search("rating negative", """{"query":"a","filters":{"minRating":-0.1}}""", 400),
        Search("rating over ten", """{"query":"a","filters":{"minRating":10.01}}""", 400),

        // --- Query text ---------------------------------------------------------------------------------------
        Search("query empty", """{"query":""}""", 400),
        Search("query blank", """{"query":"   "}""", 400),
        Search("query NUL", """{"query":"\u0000"}""", 400),
        Search("query embedded NUL", """{"query":"star\u0000wars"}""", 400),
        Search("query ANSI escape", """{"query":"\u001b[2J\u001b[31mstar wars"}""", 400),
        Search("query newline (log forging)", """{"query":"star wars\nINFO forged log line"}""", 400),
        Search("query carriage return", """{"query":"star wars\r"}""", 400),
        Search("query tab", """{"query":"star\twars"}""", 400),
        Search("query DEL", """{"query":"star wars\u007f"}""", 400),
        Search("query C1 NEL", """{"query":"star wars\u0085"}""", 400),
        Search("query C1 CSI", """{"query":"\u009b31m"}""", 400),
        Search("query one over max length", $$"""{"query":"{{new string('a', 513)}}"}""", 400),
        Search("query ten thousand chars", $$"""{"query":"{{new string('a', 10_000)}}"}""", 400),

        // --- Filters --------------------------------------------------------------------------------------------
        Search("genres as string", """{"query":"a","filters":{"genres":"Horror"}}""", 400),
        Search("genres empty list", """{"query":"a","filters":{"genres":[]}}""", 400),
        Search("genres empty value", """{"query":"a","filters":{"genres":[""]}}""", 400) with { Field = "filters.genres[0]" },
        Search("genres blank value", """{"query":"a","filters":{"genres":["Horror","   "]}}""", 400) with { Field = "filters.genres[1]" },
        Search("genres null value", """{"query":"a","filters":{"genres":[null]}}""", 400) with { Field = "filters.genres[0]" },
        Search("genres number value", """{"query":"a","filters":{"genres":[1]}}""", 400) with { Field = "filters.genres[0]" },
        Search("genres too many", """{"query":"a","filters":{"genres":[""" + Values(33) + "]}}", 400),
        Search("genres value too long", "{\"query\":\"a\",\"filters\":{\"genres\":[\"" + new string('g', 65) + "\"]}}", 400) with { Field = "filters.genres[0]" },
        Search("genres NUL", """{"query":"a","filters":{"genres":["Hor\u0000ror"]}}""", 400) with { Field = "filters.genres[0]" },
        Search("genres value no item has", """{"query":"a","filters":{"genres":["Horror","<script>x</script>"]}}""", 400) with { Field = "filters.genres[1]" },
        Search("genres newline", """{"query":"a","filters":{"genres":["Horror\n"]}}""", 400) with { Field = "filters.genres[0]" },
        Search("creativeTypes unit separator", """{"query":"a","filters":{"creativeTypes":["Science\u001fFiction"]}}""", 400) with { Field = "filters.creativeTypes[0]" },
        Search("mpaaRatings bell", """{"query":"a","filters":{"mpaaRatings":["PG","\u0007"]}}""", 400) with { Field = "filters.mpaaRatings[1]" },
        Search("mpaaRatings C1", """{"query":"a","filters":{"mpaaRatings":["R\u0090"]}}""", 400) with { Field = "filters.mpaaRatings[0]" },
        Search("creativeTypes empty value", """{"query":"a","filters":{"creativeTypes":["Science Fiction",""]}}""", 400) with { Field = "filters.creativeTypes[1]" },
        Search("mpaaRatings value too long", "{\"query\":\"a\",\"filters\":{\"mpaaRatings\":[\"PG\",\"" + new string('r', 65) + "\"]}}", 400) with { Field = "filters.mpaaRatings[1]" },
        Search("creativeTypes value no item has", """{"query":"a","filters":{"creativeTypes":["Science Fiction","Poetry"]}}""", 400) with { Field = "filters.creativeTypes[1]" },
        Search("mpaaRatings value no item has", """{"query":"a","filters":{"mpaaRatings":["PG","X"]}}""", 400) with { Field = "filters.mpaaRatings[1]" },
        Search("two bad values in one list", """{"query":"a","filters":{"genres":["","Horror","   "]}}""", 400) with { Field = "filters.genres[2]" },
        Post("recommendation disliking what it likes", "/api/v1/recommendations", """{"liked":["a","b"],"disliked":["c","b"]}""", 400) with { Field = "disliked[1]" },
        Search("genres operator object", """{"query":"a","filters":{"genres":{"$ne":null}}}""", 400),
        Search("yearRange one value", """{"query":"a","filters":{"yearRange":[1990]}}""", 400),
        Search("yearRange three values", """{"query":"a","filters":{"yearRange":[1990,2000,2010]}}""", 400),
        Search("yearRange reversed", """{"query":"a","filters":{"yearRange":[2000,1990]}}""", 400),
        Search("yearRange out of bounds", """{"query":"a","filters":{"yearRange":[0,3000]}}""", 400),
        Search("yearRange words", """{"query":"a","filters":{"yearRange":["then","now"]}}""", 400),
        Search("yearRange fraction", """{"query":"a","filters":{"yearRange":[1990.5,2000]}}""", 400),
        Search("yearRange int overflow", """{"query":"a","filters":{"yearRange":[1990,2147483648]}}""", 400),
        Search("runtimeRange negative", """{"query":"a","filters":{"runtimeRange":[-5,10]}}""", 400),
        Search("runtimeRange huge", """{"query":"a","filters":{"runtimeRange":[0,100000]}}""", 400),
        Search("filters as string", """{"query":"a","filters":"genres=Horror"}""", 400),
        Search("filters as array", """{"query":"a","filters":[]}""", 400),
        Search("filters unknown field", """{"query":"a","filters":{"where":"1=1"}}""", 400),

        // --- Hostile but valid text: searched as text, answered as JSON (nosniff), never interpreted --------
        Search("script tag query", """{"query":"<script>alert(1)</script>","limit":1}""", 200),
        Search("SQL injection query", """{"query":"'; DROP TABLE jobs; --","limit":1}""", 200),
        Search("Cypher injection query", """{"query":"x' }) MATCH (n) DETACH DELETE n //","limit":1}""", 200),
        Search("Milvus filter injection query", """{"query":"a\" or id > 0 or \"","limit":1}""", 200),
        Search("template injection query", """{"query":"{{7*7}} ${7*7}","limit":1}""", 200),
        Search("JNDI lookup query", """{"query":"${jndi:ldap://127.0.0.1/a}","limit":1}""", 200),
        Search("path traversal query", """{"query":"../../../../etc/passwd","limit":1}""", 200),
        Search("right-to-left override query", """{"query":"star \u202ewars","limit":1}""", 200),
        // A value no catalog item has is refused (400 naming it), not run: it could only ever match nothing.
        Search("filter value injection", """{"query":"horror","limit":1,"filters":{"genres":["Horror' OR '1'='1"]}}""", 400),

        // --- Sizes and content types --------------------------------------------------------------------------
        SearchBytes("body one byte over 16 KiB", Encoding.UTF8.GetBytes($$"""{"query":"{{new string('a', 16 * 1024)}}"}"""), 413),
        SearchBytes("body of one mebibyte", Encoding.UTF8.GetBytes($$"""{"query":"{{new string('a', 1024 * 1024)}}"}"""), 413),
        SearchBytes("chunked body over the limit", Encoding.UTF8.GetBytes($$"""{"query":"{{new string('a', 20 * 1024)}}"}"""), 413) with { Chunked = true },
        SearchBytes("empty body", [], 400),
        SearchBytes("utf-8 byte order mark before the JSON", [0xef, 0xbb, 0xbf, .. """{"query":"star wars","limit":1}"""u8], 200),
        SearchBytes("byte order mark only", [0xef, 0xbb, 0xbf], 400) with { Field = "body" },
        SearchBytes("two byte order marks", [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, .. """{"query":"a"}"""u8], 400) with { Field = "body" },
        Search("charset utf-8 said", """{"query":"star wars","limit":1}""", 200) with { ContentType = "application/json; charset=utf-8" },
        Search("charset UTF-8 quoted", """{"query":"star wars","limit":1}""", 200) with { ContentType = "application/json; charset=\"UTF-8\"" },
        SearchBytes("charset utf-16", Encoding.Unicode.GetBytes("""{"query":"a"}"""), 415) with { ContentType = "application/json; charset=utf-16", Field = "body", MustSay = "UTF-8" },
        Search("charset latin-1", """{"query":"a"}""", 415) with { ContentType = "application/json; charset=iso-8859-1", Field = "body", MustSay = "UTF-8" },
        Search("charset with markup", """{"query":"a"}""", 415) with { ContentType = "application/json; charset=\"<script>\"", MustNotEcho = "<script>" },
        Search("charset empty", """{"query":"a"}""", 415) with { ContentType = "application/json; charset=", MustSay = "UTF-8" },
        Search("text/plain", """{"query":"a"}""", 415) with { ContentType = "text/plain" },
        Search("form urlencoded", "query=a", 415) with { ContentType = "application/x-www-form-urlencoded" },
        Search("multipart", "--x\r\n\r\n--x--", 415) with { ContentType = "multipart/form-data; boundary=x" },
        Search("xml", "<query>a</query>", 415) with { ContentType = "application/xml" },
        Search("json look-alike type", """{"query":"a"}""", 415) with { ContentType = "application/jsonx" },
        Search("content type with markup", """{"query":"a"}""", 415) with { ContentType = "text/html; x=\"<script>alert(1)</script>\"", MustNotEcho = "<script>" },
        Search("content type garbage", """{"query":"a"}""", 415) with { ContentType = "}}{{not a media type", MustNotEcho = "not a media type" },

        // --- Methods --------------------------------------------------------------------------------------------
        Get("GET on search", "/api/v1/search", 405),
        new("PUT on search", HttpMethod.Put, "/api/v1/search", 405),
        new("DELETE on search", HttpMethod.Delete, "/api/v1/search", 405),
        new("PATCH on search", HttpMethod.Patch, "/api/v1/search", 405),
        new("OPTIONS on search", HttpMethod.Options, "/api/v1/search", 405),
        new("TRACE on search", HttpMethod.Trace, "/api/v1/search", 405),
        new("POST on health", HttpMethod.Post, "/api/v1/health", 405),
        new("DELETE on a job", HttpMethod.Delete, "/api/v1/jobs/abc", 405),
        new("PUT on a job", HttpMethod.Put, "/api/v1/jobs/abc", 405),

        // --- Routes ---------------------------------------------------------------------------------------------
        Get("job id with space", "/api/v1/jobs/has%20space", 400),
        Get("job id NUL", "/api/v1/jobs/%00", 400),
        Get("job id quote injection", "/api/v1/jobs/%27%20OR%20%271%27%3D%271", 400),
        Get("job id OData injection", "/api/v1/jobs/x%27%20or%20PartitionKey%20ne%20%27", 400),
        Get("job id five thousand chars", "/api/v1/jobs/" + new string('a', 5000), 400),
        Get("job id unicode", "/api/v1/jobs/%C3%BF%C3%BF", 400),
        Get("job id encoded traversal", "/api/v1/jobs/..%2F..%2Fsecrets", 400),
        Get("job id newline in the middle", "/api/v1/jobs/abc%0Adef", 400),
        // --- Query strings: a route takes only the parameters it names, each once, each well-formed ---------------
        Search("search with a query-string limit", """{"query":"a"}""", 400) with { Path = "/api/v1/search?limit=5", Field = "limit", MustSay = "takes none" },
        Get("job with an unknown parameter", "/api/v1/jobs/0123456789abcdef0123456789abcdef?include=all", 400) with { Field = "include" },
        Get("health with an unknown parameter", "/api/v1/health?verbose=1", 400) with { Field = "verbose" },
        Get("health with a function key it does not need", "/api/v1/health?code=x", 400) with { Field = "code" },
        Get("openapi with an unknown parameter", "/api/v1/openapi.json?format=yaml", 400) with { Field = "format" },
        Get("concepts with a misspelt parameter", "/api/v1/concepts?q=war&lmit=5", 400) with { Field = "lmit", MustSay = "q, limit" },
        Get("concepts with q twice", "/api/v1/concepts?q=war&q=peace", 400) with { Field = "q" },
        Get("concepts with limit twice in two cases", "/api/v1/concepts?q=war&limit=5&LIMIT=6", 400) with { Field = "limit" },
        Get("concepts limit not a number", "/api/v1/concepts?q=war&limit=ten", 400) with { Field = "limit" },
        Get("concepts limit empty", "/api/v1/concepts?q=war&limit=", 400) with { Field = "limit" },
        Get("concepts limit with a sign", "/api/v1/concepts?q=war&limit=%2B5", 400) with { Field = "limit" },
        Get("concepts limit zero", "/api/v1/concepts?q=war&limit=0", 400) with { Field = "limit" },
        Get("concepts limit over max", "/api/v1/concepts?q=war&limit=101", 400) with { Field = "limit" },
        Get("similar limit overflow", "/api/v1/media/x/similar?limit=99999999999999999999", 400) with { Field = "limit" },
        Get("media with a limit it does not take", "/api/v1/media/x?limit=5", 400) with { Field = "limit" },
        // A parameter is named back to the caller, escaped: a terminal escape sequence arrives as text, not as an escape.
        Get("parameter name with an escape sequence", "/api/v1/health?%1B%5B31m=1", 400) with { Field = "\\u001b[31m", MustNotEcho = "\u001b" },
        Keyed("batch with an unknown parameter and the key in code", HttpMethod.Get, "/api/v1/batches/0123456789abcdef0123456789abcdef?code=" + LocalGatewayFixture.FunctionKey + "&x=1", 400) with { Headers = [], Field = "x" },
        Keyed("import with an unknown parameter", HttpMethod.Get, "/api/v1/catalog/imports/0123456789abcdef0123456789abcdef?verbose", 400) with { Field = "verbose" },
        Keyed("batch results with the key given twice in code", HttpMethod.Get, "/api/v1/batches/0123456789abcdef0123456789abcdef/results?code=a&code=b", 401) with { Headers = [] },

        Get("job route with extra segment", "/api/v1/jobs/a/b", 404),
        Get("job route without id", "/api/v1/jobs/", 404),
        Get("another API version", "/api/v2/search", 404),
        Get("admin path", "/admin", 404),
        Get("dotfile", "/.env", 404),
        Get("functions admin API", "/admin/functions", 404),
        Get("traversal to etc/passwd", "/api/v1/health/..%2F..%2F..%2Fetc%2Fpasswd", 404),

        // --- The private health report: a function key, exactly ------------------------------------------------
        Get("details without a key", "/api/v1/health/details", 401),
        Get("details with a wrong key", "/api/v1/health/details", 401) with { Headers = [("x-functions-key", "wrong")] },
        Get("details with a wrong code", "/api/v1/health/details?code=wrong", 401),
        Get("details with an empty key", "/api/v1/health/details", 401) with { Headers = [("x-functions-key", "")] },
        Get("details with the key in upper case", "/api/v1/health/details", 401) with { Headers = [("x-functions-key", LocalGatewayFixture.FunctionKey.ToUpperInvariant())] },
        Get("details with a key prefix", "/api/v1/health/details", 401) with { Headers = [("x-functions-key", LocalGatewayFixture.FunctionKey[..^1])] },
        Get("details with the key plus a wrong one", "/api/v1/health/details", 401) with { Headers = [("x-functions-key", LocalGatewayFixture.FunctionKey), ("x-functions-key", "wrong")] },
        Get("details with the key in a bearer token", "/api/v1/health/details", 401) with { Headers = [("Authorization", "Bearer " + LocalGatewayFixture.FunctionKey)] },
        Get("details with the key in another header", "/api/v1/health/details", 401) with { Headers = [("x-functions-key-2", LocalGatewayFixture.FunctionKey)] },

        // --- Headers (refused by Kestrel's limits before any code runs) ---------------------------------------
        Get("one 40 KiB header", "/api/v1/health", 431) with { Headers = [("X-Padding", new string('a', 40 * 1024))] },
        Get("120 headers", "/api/v1/health", 431) with { Headers = [.. Enumerable.Range(0, 120).Select(i => ($"X-H{i}", "v"))] },
        Get("public health with a forged key", "/api/v1/health", 200) with { Headers = [("x-functions-key", "forged")] },
    ];
}

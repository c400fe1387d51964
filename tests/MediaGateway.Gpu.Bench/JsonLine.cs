using System.Buffers;
using System.Text;
using System.Text.Json;

namespace MediaGateway.Gpu.Bench;

/// <summary>
/// One JSON object per output line, written field by field: the benchmark runs as a NativeAOT binary on the
/// GPU machine, where reflection-based serialisation of anonymous objects is not available.
/// </summary>
internal sealed class JsonLine
{
    private readonly ArrayBufferWriter<byte> _buffer = new();
    private readonly Utf8JsonWriter _writer;

    public JsonLine(string kind)
    {
        _writer = new Utf8JsonWriter(_buffer);
        _writer.WriteStartObject();
        _writer.WriteString("kind", kind);
    }

    public JsonLine Add(string name, string value) { _writer.WriteString(name, value); return this; }
    public JsonLine Add(string name, long value) { _writer.WriteNumber(name, value); return this; }
    public JsonLine Add(string name, double value) { _writer.WriteNumber(name, value); return this; }
    public JsonLine Add(string name, bool value) { _writer.WriteBoolean(name, value); return this; }

    public override string ToString()
    {
        _writer.WriteEndObject();
        _writer.Flush();
        return Encoding.UTF8.GetString(_buffer.WrittenSpan);
    }
}

using Google.Protobuf;
using Onnx;

namespace MediaGateway.Engine.Embedding;

/// <summary>
/// Replaces each self-attention block of a BERT graph quantised by <see cref="OnnxInt8Quantizer"/> with ONNX
/// Runtime's <c>QAttention</c> operator: the query, key and value GEMMs become one int8 GEMM over their joined
/// weights, and the reshapes, transposes, scaled scores, mask, softmax and context product run inside one kernel.
/// ONNX Runtime's own attention fusion does not recognise this export (not even in float), and the dozen small
/// operators per layer cost about a sixteenth of the model's time for the runner's short queries.
/// </summary>
/// <remarks>
/// Each block is matched from its <c>Softmax</c>: scores = (Q·Kᵀ) / √head + mask, context = softmax · V, then
/// transposed back and reshaped. A block that does not match exactly (other scaling, shared inputs, no integer
/// GEMMs) is left as it was. The outputs are unchanged up to float rounding (a test holds it to that).
/// </remarks>
public static class OnnxAttentionFusion
{
    /// <summary>The raw attention mask as <c>QAttention</c> reads it: (batch, sequence) int32.</summary>
    private const string MaskInput = "attention_mask", Int32Mask = "attention_mask_int32";

    /// <summary>Returns the fused model's bytes and how many blocks were fused; <paramref name="model"/> is not changed.</summary>
    public static (byte[] Model, int FusedBlocks) Fuse(byte[] model)
    {
        var proto = ModelProto.Parser.ParseFrom(model);
        var graph = proto.Graph;
        var initializers = graph.Initializer.ToDictionary(i => i.Name);
        var producers = graph.Node.SelectMany(n => n.Output.Select(o => (Output: o, Node: n))).ToDictionary(p => p.Output, p => p.Node);
        var readers = graph.Node.SelectMany(n => n.Input.Select(i => (Input: i, Node: n))).ToLookup(r => r.Input, r => r.Node);
        var replaced = new Dictionary<NodeProto, NodeProto>();
        foreach (var softmax in graph.Node.Where(n => n.OpType == "Softmax").ToList())
            if (Match(softmax, producers, readers, initializers) is { } block)
                replaced[block.ContextReshape] = QAttention(block, replaced.Count, graph, initializers);
        if (replaced.Count == 0) return (model, 0);

        var nodes = graph.Node.Select(n => replaced.GetValueOrDefault(n, n)).ToList();
        var cast = OnnxInt8Quantizer.Node("Cast", [MaskInput], [Int32Mask]);
        cast.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)TensorProto.Types.DataType.Int32 });
        nodes.Insert(0, cast);
        RemoveUnread(nodes, graph);
        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        return (proto.ToByteArray(), replaced.Count);
    }

    private sealed record Block(NodeProto Query, NodeProto Key, NodeProto Value, int Heads, NodeProto ContextReshape);

    private static Block? Match(NodeProto softmax, Dictionary<string, NodeProto> producers, ILookup<string, NodeProto> readers, Dictionary<string, TensorProto> initializers)
    {
        NodeProto? Producer(string name) => producers.GetValueOrDefault(name);
        NodeProto? Only(string name, string op) => readers[name].Where(n => n.OpType == op).ToList() is [var single] ? single : null;
        // Through the reshape / transpose that splits heads, to the integer GEMM (with its bias) that made the tensor.
        NodeProto? Gemm(string name)
        {
            var node = Producer(name);
            while (node is { OpType: "Reshape" or "Transpose" }) node = Producer(node.Input[0]);
            return node is { OpType: "MatMulIntegerToFloat", Input.Count: 7 } ? node : null;
        }

        if (Producer(softmax.Input[0]) is not { OpType: "Add" } masked) return null;
        var scaled = masked.Input.Select(Producer).FirstOrDefault(p => p is { OpType: "Div" } && Producer(p.Input[0]) is { OpType: "MatMul" });
        if (scaled is null || Producer(scaled.Input[0]) is not { } scores || ScalarOf(scaled.Input[1], producers, initializers) is not { } divisor) return null;
        if (Only(softmax.Output[0], "MatMul") is not { } context || Only(context.Output[0], "Transpose") is not { } transposed
            || Only(transposed.Output[0], "Reshape") is not { } reshape) return null;
        if (Gemm(scores.Input[0]) is not { } query || Gemm(scores.Input[1]) is not { } key || Gemm(context.Input[1]) is not { } value) return null;
        // One input and one quantisation for all three (QAttention takes one).
        if (new[] { key, value }.Any(g => g.Input[0] != query.Input[0] || g.Input[2] != query.Input[2] || g.Input[4] != query.Input[4])) return null;

        // The scores are divided by √head; QAttention's default scale is exactly that, and it gives the head count.
        var hidden = (int)initializers[query.Input[1]].Dims[1];
        var head = (int)MathF.Round(divisor * divisor);
        if (head <= 0 || hidden % head != 0 || MathF.Abs(MathF.Sqrt(head) - divisor) > 1e-3f) return null;
        return new Block(query, key, value, hidden / head, reshape);
    }

    private static NodeProto QAttention(Block block, int index, GraphProto graph, Dictionary<string, TensorProto> initializers)
    {
        NodeProto[] gemms = [block.Query, block.Key, block.Value];
        var prefix = $"attention{index}_qkv";
        // MatMulIntegerToFloat inputs: A, B, A scale, B scale, A zero point, B zero point, bias.
        var weights = JoinColumns(gemms.Select(g => initializers[g.Input[1]]).ToArray(), prefix + "_weight");
        var scales = JoinColumns(gemms.Select(g => initializers[g.Input[3]]).ToArray(), prefix + "_weight_scale");
        var zeros = JoinColumns(gemms.Select(g => initializers[g.Input[5]]).ToArray(), prefix + "_weight_zero");
        var bias = JoinColumns(gemms.Select(g => initializers[g.Input[6]]).ToArray(), prefix + "_bias");
        graph.Initializer.Add([weights, scales, zeros, bias]);

        var node = OnnxInt8Quantizer.Node("QAttention", [block.Query.Input[0], weights.Name, bias.Name, block.Query.Input[2], scales.Name, Int32Mask, block.Query.Input[4], zeros.Name],
            [block.ContextReshape.Output[0]]);
        node.Domain = OnnxInt8Quantizer.MicrosoftDomain;
        node.Attribute.Add(new AttributeProto { Name = "num_heads", Type = AttributeProto.Types.AttributeType.Int, I = block.Heads });
        return node;
    }

    /// <summary>Side by side along the last dimension: [rows, a] + [rows, b] + … → [rows, a + b + …] (or 1-D vectors joined).</summary>
    private static TensorProto JoinColumns(TensorProto[] parts, string name)
    {
        var rows = parts[0].Dims.Count == 2 ? (int)parts[0].Dims[0] : 1;
        var elementSize = parts[0].RawData.Length / parts[0].Dims.Aggregate(1L, (a, d) => a * d);
        var widths = parts.Select(p => (int)p.Dims[^1] * (int)elementSize).ToArray();
        var joined = new byte[rows * widths.Sum()];
        var offset = 0;
        for (var r = 0; r < rows; r++)
            for (var p = 0; p < parts.Length; p++)
            {
                parts[p].RawData.Span.Slice(r * widths[p], widths[p]).CopyTo(joined.AsSpan(offset));
                offset += widths[p];
            }
        var tensor = new TensorProto { Name = name, DataType = parts[0].DataType, RawData = ByteString.CopyFrom(joined) };
        if (parts[0].Dims.Count == 2) tensor.Dims.Add(rows);
        tensor.Dims.Add(parts.Sum(p => p.Dims[^1]));
        return tensor;
    }

    /// <summary>A float scalar from an initializer or a <c>Constant</c> node, or null.</summary>
    private static float? ScalarOf(string name, Dictionary<string, NodeProto> producers, Dictionary<string, TensorProto> initializers)
    {
        var tensor = initializers.GetValueOrDefault(name)
            ?? (producers.GetValueOrDefault(name) is { OpType: "Constant" } constant ? constant.Attribute.FirstOrDefault(a => a.Name == "value")?.T : null);
        if (tensor is null || tensor.DataType != (int)TensorProto.Types.DataType.Float) return null;
        return OnnxInt8Quantizer.FloatValues(tensor) is [var single] ? single : null;
    }

    /// <summary>Drops nodes whose outputs nothing reads any more (the replaced blocks' insides), then unread initializers.</summary>
    private static void RemoveUnread(List<NodeProto> nodes, GraphProto graph)
    {
        var outputs = graph.Output.Select(o => o.Name).ToHashSet();
        while (true)
        {
            var read = nodes.SelectMany(n => n.Input).ToHashSet();
            if (nodes.RemoveAll(n => !n.Output.Any(o => read.Contains(o) || outputs.Contains(o))) == 0) break;
        }
        var stillRead = nodes.SelectMany(n => n.Input).ToHashSet();
        foreach (var unread in graph.Initializer.Where(i => !stillRead.Contains(i.Name)).ToList()) graph.Initializer.Remove(unread);
    }
}

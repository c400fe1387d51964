using Google.Protobuf;
using Onnx;

namespace MediaGateway.Engine.Embedding;

/// <summary>
/// Dynamic int8 quantisation of an ONNX transformer, done at load time: every <c>MatMul</c> whose second input is
/// a 2-D float weight becomes <c>DynamicQuantizeLinear</c> (the activations, uint8, scale per call) →
/// <c>MatMulInteger</c> (weights int8, one scale per output column) → <c>Cast</c> → <c>Mul</c> by both scales.
/// ONNX Runtime fuses that chain into its integer GEMM (<c>MatMulIntegerToFloat</c>). Everything else (embedding
/// tables, layer norms, softmax, attention's activation×activation products) stays float.
/// </summary>
/// <remarks>
/// Hand-written because the quantiser that ships with ONNX Runtime is Python-only and no quantised MiniLM is
/// served here; the ONNX graph itself is read and written with OnnxSharp's protobuf classes. Weights use 7 bits
/// (±63), ONNX Runtime's "reduce range": on x86 without VNNI its uint8×int8 kernel sums pairs of products in
/// 16 bits, which full-range weights can saturate.
/// </remarks>
public static class OnnxInt8Quantizer
{
    /// <summary>The largest quantised weight magnitude (7-bit, see the remarks).</summary>
    public const int WeightLevels = 63;

    /// <summary>Returns the quantised model's bytes; <paramref name="model"/> is not changed.</summary>
    public static byte[] Quantize(byte[] model)
    {
        var proto = ModelProto.Parser.ParseFrom(model);
        var graph = proto.Graph;
        var initializers = graph.Initializer.ToDictionary(i => i.Name);
        var consumers = graph.Node.SelectMany(n => n.Input).GroupBy(name => name).ToDictionary(g => g.Key, g => g.Count());
        var nodes = new List<NodeProto>(graph.Node.Count);
        foreach (var node in graph.Node)
        {
            // A weight read by anything besides this MatMul stays float (it is shared; replacing it would break the other reader).
            if (node.OpType != "MatMul" || !initializers.TryGetValue(node.Input[1], out var weight) || weight.Dims.Count != 2
                || weight.DataType != (int)TensorProto.Types.DataType.Float || consumers[node.Input[1]] != 1)
            {
                nodes.Add(node);
                continue;
            }
            graph.Initializer.Remove(weight);
            nodes.AddRange(QuantizedMatMul(node, weight, graph));
        }
        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        return proto.ToByteArray();
    }

    private static IEnumerable<NodeProto> QuantizedMatMul(NodeProto matMul, TensorProto weight, GraphProto graph)
    {
        int rows = (int)weight.Dims[0], columns = (int)weight.Dims[1];
        var values = FloatValues(weight);
        // Symmetric per output column: zero point 0, scale = the column's largest magnitude / WeightLevels.
        var scales = new float[columns];
        for (var c = 0; c < columns; c++)
        {
            var max = 0f;
            for (var r = 0; r < rows; r++) max = Math.Max(max, Math.Abs(values[r * columns + c]));
            scales[c] = max > 0 ? max / WeightLevels : 1f;
        }
        var quantized = new byte[rows * columns];
        for (var i = 0; i < quantized.Length; i++)
            quantized[i] = unchecked((byte)(sbyte)Math.Clamp((int)MathF.Round(values[i] / scales[i % columns]), -WeightLevels, WeightLevels));

        var prefix = matMul.Output[0] + "_int8";
        string Name(string part) => $"{prefix}_{part}";
        graph.Initializer.Add(Tensor(Name("weight"), TensorProto.Types.DataType.Int8, quantized, rows, columns));
        graph.Initializer.Add(Tensor(Name("weight_zero"), TensorProto.Types.DataType.Int8, new byte[columns], columns));
        var scaleBytes = new byte[columns * sizeof(float)];
        Buffer.BlockCopy(scales, 0, scaleBytes, 0, scaleBytes.Length);
        graph.Initializer.Add(Tensor(Name("weight_scale"), TensorProto.Types.DataType.Float, scaleBytes, columns));

        yield return Node("DynamicQuantizeLinear", [matMul.Input[0]], [Name("input"), Name("input_scale"), Name("input_zero")]);
        yield return Node("MatMulInteger", [Name("input"), Name("weight"), Name("input_zero"), Name("weight_zero")], [Name("product")]);
        var cast = Node("Cast", [Name("product")], [Name("product_float")]);
        cast.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)TensorProto.Types.DataType.Float });
        yield return cast;
        yield return Node("Mul", [Name("input_scale"), Name("weight_scale")], [Name("scale")]);
        yield return Node("Mul", [Name("product_float"), Name("scale")], [matMul.Output[0]]);
    }

    private static float[] FloatValues(TensorProto tensor)
    {
        if (tensor.RawData.Length == 0) return tensor.FloatData.ToArray();
        var values = new float[tensor.RawData.Length / sizeof(float)];
        tensor.RawData.Span.CopyTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    private static TensorProto Tensor(string name, TensorProto.Types.DataType type, byte[] data, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(data) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    private static NodeProto Node(string op, string[] inputs, string[] outputs)
    {
        var node = new NodeProto { OpType = op, Name = outputs[0] + "_node" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        return node;
    }
}

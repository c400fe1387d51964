using Google.Protobuf;
using Onnx;

namespace MediaGateway.Engine.Embedding;

/// <summary>
/// Static int8 quantisation of an ONNX transformer, done at load time: every <c>MatMul</c> whose second input is
/// a 2-D float weight becomes <c>QuantizeLinear</c> (its input to uint8 with a fixed scale and zero point from a
/// calibration table, <see cref="ActivationCalibration"/>) → ONNX Runtime's integer GEMM <c>MatMulIntegerToFloat</c>
/// (weights int8, one scale per output column; the bias <c>Add</c> after it folded in). Everything else (embedding
/// tables, layer norms, softmax, attention's activation×activation products) stays float.
/// </summary>
/// <remarks>
/// Static, not dynamic: a scale computed per call over the whole activation tensor (what ONNX Runtime's
/// <c>DynamicQuantizeLinear</c> does) makes a text's vector depend on the texts embedded with it, so every text
/// needed a model run of its own; with fixed scales the texts of a batch share one run (about a sixth less CPU
/// per text at the runner's batch sizes) and each still gets the vector it gets alone.
/// Hand-written because the quantiser that ships with ONNX Runtime is Python-only and no quantised MiniLM is
/// served here; the ONNX graph itself is read and written with OnnxSharp's protobuf classes. Weights use 7 bits
/// (±63), ONNX Runtime's "reduce range": on x86 without VNNI its uint8×int8 kernel sums pairs of products in
/// 16 bits, which full-range weights can saturate.
/// </remarks>
public static class OnnxInt8Quantizer
{
    /// <summary>The largest quantised weight magnitude (7-bit, see the remarks).</summary>
    public const int WeightLevels = 63;

    /// <summary>Activation levels: uint8.</summary>
    private const int ActivationLevels = 255;

    /// <summary>The <c>MatMul</c>s this quantiser rewrites: a 2-D float weight as the second input, read by nothing else.</summary>
    public static IEnumerable<NodeProto> WeightMatMuls(GraphProto graph)
    {
        var initializers = graph.Initializer.ToDictionary(i => i.Name);
        var consumers = graph.Node.SelectMany(n => n.Input).GroupBy(name => name).ToDictionary(g => g.Key, g => g.Count());
        // A weight read by anything besides this MatMul stays float (it is shared; replacing it would break the other reader).
        return graph.Node.Where(node => node.OpType == "MatMul" && initializers.TryGetValue(node.Input[1], out var weight) && weight.Dims.Count == 2
            && weight.DataType == (int)TensorProto.Types.DataType.Float && consumers[node.Input[1]] == 1).ToList();
    }

    /// <summary>Returns the quantised model's bytes; <paramref name="model"/> is not changed.</summary>
    /// <param name="activationRanges">Each weight <c>MatMul</c> input's calibrated range (a missing one is an error).</param>
    public static byte[] Quantize(byte[] model, IReadOnlyDictionary<string, ActivationRange> activationRanges)
    {
        var proto = ModelProto.Parser.ParseFrom(model);
        var graph = proto.Graph;
        var rewritten = WeightMatMuls(graph).ToHashSet();
        var initializers = graph.Initializer.ToDictionary(i => i.Name);
        var readers = graph.Node.SelectMany(n => n.Input.Select(input => (Input: input, Node: n))).ToLookup(r => r.Input, r => r.Node);
        var biasAdds = new Dictionary<NodeProto, (NodeProto Add, TensorProto Bias)>();
        foreach (var matMul in rewritten)
            if (BiasAddAfter(matMul, readers, initializers, graph) is { } biasAdd) biasAdds[matMul] = biasAdd;
        var absorbed = biasAdds.Values.Select(b => b.Add).ToHashSet();

        var quantizedActivations = new HashSet<string>();
        var nodes = new List<NodeProto>(graph.Node.Count);
        foreach (var node in graph.Node)
        {
            if (absorbed.Contains(node)) continue; // its bias went into the integer GEMM before it
            if (!rewritten.Contains(node))
            {
                nodes.Add(node);
                continue;
            }
            var input = node.Input[0];
            if (!activationRanges.TryGetValue(input, out var range))
                throw new InvalidOperationException($"The calibration table has no range for '{input}' (it was made for another model).");
            if (quantizedActivations.Add(input)) nodes.Add(QuantizeActivation(graph, input, range));
            var weight = initializers[node.Input[1]];
            graph.Initializer.Remove(weight);
            nodes.Add(IntegerMatMul(node, weight, biasAdds.TryGetValue(node, out var bias) ? bias : null, graph));
        }
        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        if (!proto.OpsetImport.Any(o => o.Domain == MicrosoftDomain)) proto.OpsetImport.Add(new OperatorSetIdProto { Domain = MicrosoftDomain, Version = 1 });
        return proto.ToByteArray();
    }

    /// <summary>ONNX Runtime's own operators (<c>MatMulIntegerToFloat</c>, <c>QAttention</c>); the quantised model imports the domain.</summary>
    internal const string MicrosoftDomain = "com.microsoft";

    /// <summary>
    /// The <c>Add</c> of a bias vector that is the <c>MatMul</c>'s only reader, if any: the integer GEMM adds it
    /// itself (ONNX Runtime does not fold it in from the quantize–dequantize form, and a separate <c>Add</c> per
    /// layer cost about a twelfth of the model's time for a short query).
    /// </summary>
    private static (NodeProto Add, TensorProto Bias)? BiasAddAfter(NodeProto matMul, ILookup<string, NodeProto> readers,
        Dictionary<string, TensorProto> initializers, GraphProto graph)
    {
        var output = matMul.Output[0];
        if (readers[output].Count() != 1 || graph.Output.Any(o => o.Name == output)) return null;
        var add = readers[output].Single();
        if (add.OpType != "Add" || add.Input.Count != 2) return null;
        var other = add.Input[0] == output ? add.Input[1] : add.Input[0];
        var columns = initializers[matMul.Input[1]].Dims[1];
        return initializers.TryGetValue(other, out var bias) && bias.Dims.Count == 1 && bias.Dims[0] == columns
            && bias.DataType == (int)TensorProto.Types.DataType.Float ? (add, bias) : null;
    }

    private static string ScaleOf(string activation) => activation + "_u8_scale";

    private static string ZeroOf(string activation) => activation + "_u8_zero";

    private static string QuantizedOf(string activation) => activation + "_u8";

    /// <summary>
    /// Quantises an activation with fixed parameters: asymmetric uint8 over the calibrated range, widened to hold 0
    /// (ONNX quantisation represents 0 exactly).
    /// </summary>
    private static NodeProto QuantizeActivation(GraphProto graph, string activation, ActivationRange range)
    {
        var min = Math.Min(range.Min, 0f);
        var max = Math.Max(range.Max, 0f);
        var scale = max > min ? (max - min) / ActivationLevels : 1f;
        var zero = (byte)Math.Clamp((int)MathF.Round(-min / scale), 0, ActivationLevels);
        graph.Initializer.Add(Tensor(ScaleOf(activation), TensorProto.Types.DataType.Float, BitConverter.GetBytes(scale)));
        graph.Initializer.Add(Tensor(ZeroOf(activation), TensorProto.Types.DataType.Uint8, [zero]));
        return Node("QuantizeLinear", [activation, ScaleOf(activation), ZeroOf(activation)], [QuantizedOf(activation)]);
    }

    /// <summary>
    /// ONNX Runtime's integer GEMM with float output: uint8 activations × int8 weights, scaled back per output
    /// column, plus the bias when one was absorbed (the output is then the <c>Add</c>'s).
    /// </summary>
    private static NodeProto IntegerMatMul(NodeProto matMul, TensorProto weight, (NodeProto Add, TensorProto Bias)? bias, GraphProto graph)
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

        var activation = matMul.Input[0];
        string[] inputs = [QuantizedOf(activation), Name("weight"), ScaleOf(activation), Name("weight_scale"), ZeroOf(activation), Name("weight_zero")];
        var gemm = Node("MatMulIntegerToFloat", bias is { } b ? [.. inputs, b.Bias.Name] : inputs, [bias is { } a ? a.Add.Output[0] : matMul.Output[0]]);
        gemm.Domain = MicrosoftDomain;
        return gemm;
    }

    /// <summary>A float tensor's values, stored raw or as a list.</summary>
    internal static float[] FloatValues(TensorProto tensor)
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

    /// <summary>A node named after its first output (the graph rewrites here and in <see cref="OnnxAttentionFusion"/>).</summary>
    internal static NodeProto Node(string op, string[] inputs, string[] outputs)
    {
        var node = new NodeProto { OpType = op, Name = outputs[0] + "_node" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        return node;
    }
}

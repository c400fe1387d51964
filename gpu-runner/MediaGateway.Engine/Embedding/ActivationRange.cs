namespace MediaGateway.Engine.Embedding;

/// <summary>
/// The values one activation tensor took over the calibration texts (<see cref="ActivationCalibration"/>); its
/// fixed int8 scale and zero point come from it (<see cref="OnnxInt8Quantizer"/>).
/// </summary>
public readonly record struct ActivationRange(float Min, float Max);

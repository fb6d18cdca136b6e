using DataCentric.Edge.ModelGen;

// Writes the generated models into the directory given (default: firmware-config/models).
var outputDirectory = args.Length > 0 ? args[0] : Path.Combine("firmware-config", "models");
Directory.CreateDirectory(outputDirectory);

var models = new Dictionary<string, Func<byte[]>>
{
    ["obstacle-detector.onnx"] = ObstacleModel.Build,
    ["obstacle-boxes.onnx"] = ObstacleBoxModel.Build,
    ["scene-embedding.onnx"] = SceneEmbeddingModel.Build,
    ["test-classifier.onnx"] = TestModels.Classifier,
    ["test-yolov8.onnx"] = TestModels.YoloV8Detector,
    ["test-yolov5.onnx"] = TestModels.YoloV5Detector,
    ["test-ssd.onnx"] = TestModels.SsdDetector,
    ["test-regressor.onnx"] = TestModels.Regressor,
    ["test-uint8-nhwc.onnx"] = TestModels.ByteNhwcMeans,
    ["test-dynamic-output.onnx"] = TestModels.DynamicOutput,
};

foreach (var (fileName, build) in models)
{
    var path = Path.Combine(outputDirectory, fileName);
    var bytes = build();
    File.WriteAllBytes(path, bytes);
    Console.WriteLine($"{path}: {bytes.Length} bytes");
}

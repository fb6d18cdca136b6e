DataCentric.Edge.Device.Inference.OnnxRuntimeTelemetry.OptOut();
return DataCentric.Edge.Quantize.QuantizeCommand.Run(args, Console.Out, Console.Error);

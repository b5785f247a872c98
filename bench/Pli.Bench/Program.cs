// Benchmarks of Pli on real Kestrel; their figures and commands are in bench/README.md.
//   dotnet run -c Release --no-build -- [MiB]                       the DCE download as a streamed zip
//   dotnet run -c Release --no-build -- portal [--consultations N] …   portal search latency and list throughput on PostgreSQL
//   dotnet run -c Release --no-build -- fanout [N]                  a deadline moved, its notices to N downloaders, sent to an SMTP sink
//   dotnet run -c Release --no-build -- upload-host [--drafts N] …  Pli's tus deposit endpoint, for shared/bench
return args is ["fanout", .. var fanout]
    ? await FanoutBench.RunAsync(fanout)
    : args is ["portal", .. var portal]
    ? await PortalBench.RunAsync(portal)
    : args is ["upload-host", .. var options]
    ? await UploadHost.RunAsync(options)
    : await DceDownload.RunAsync(args);

"""Protobuf layer: .proto sources we maintain (src/), generated modules (gen/), the type registry."""

package dev.tracelight.collector; public final class Main { public static void main(String[] a){} }

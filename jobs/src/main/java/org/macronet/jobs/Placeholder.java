package org.macronet.jobs; final class Placeholder {}

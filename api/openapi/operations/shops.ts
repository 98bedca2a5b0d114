import type { ApiOperation } from '../operation';
import { fail, ok, shopParams } from '../common';
import {
  allSettingsAnswer, processSettingsAnswer, settingsBody, settingsParams, shopAnswer, shopBody, shopChange, shopsAnswer,
} from '../../shops/schemas';

const tag = 'Shops';
const unknownShop = fail('unknown shop, or one the caller cannot see');

export const SHOP_OPERATIONS: ApiOperation[] = [
  {
    method: 'post', path: '/shops', tag, role: 'admin', description: 'Only an admin of every shop (shops: null) may call it.',
    summary: 'Add a shop', body: shopBody,
    responses: { 201: ok('created', shopAnswer), 409: fail('the shop exists already') },
  },
  {
    method: 'get', path: '/shops', tag, role: 'viewer', summary: 'The shops the caller may see, disabled ones included',
    responses: { 200: ok('the shops', shopsAnswer) },
  },
  {
    method: 'get', path: '/shops/{shopId}', tag, role: 'viewer', summary: 'A shop', params: shopParams,
    responses: { 200: ok('the shop', shopAnswer), 404: unknownShop },
  },
  {
    method: 'patch', path: '/shops/{shopId}', tag, role: 'admin', summary: "Change a shop's name, enabled, addresses or mail routes",
    params: shopParams, body: shopChange,
    responses: { 200: ok('changed', shopAnswer), 404: unknownShop },
  },
  {
    method: 'get', path: '/shops/{shopId}/settings', tag: 'Settings', role: 'viewer', summary: "Every process's settings (the defaults where never set)",
    params: shopParams,
    responses: { 200: ok('settings by process', allSettingsAnswer) },
  },
  {
    method: 'get', path: '/shops/{shopId}/settings/{process}', tag: 'Settings', role: 'viewer', summary: "One process's settings",
    params: settingsParams,
    responses: { 200: ok('the settings', processSettingsAnswer), 404: fail('no settings for this process') },
  },
  {
    method: 'put', path: '/shops/{shopId}/settings/{process}', tag: 'Settings', role: 'admin',
    summary: "Replace one process's settings (what is left out takes its default); the body is that process's settings",
    params: settingsParams, body: settingsBody,
    responses: { 200: ok('stored', processSettingsAnswer), 404: fail('no settings for this process') },
  },
];
